"""Pure HTML-to-HTML functions behind the site's page hooks: math, notebook pages, minifying."""
