/* A stand-in for Web Workers when the site is opened from file://, where
 * Chromium refuses `new Worker(url)`. Material's search worker then runs in a
 * hidden same-origin iframe instead, and messages are passed between the two
 * windows as plain events. Loaded only by the offline build (mkdocs.offline.yml);
 * the file name keeps Material's offline plugin from adding its own shim from unpkg.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.queue = [];
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.tabIndex = -1;
      document.body.appendChild(this.frame);
      const scope = this.frame.contentWindow;
      // The worker's postMessage answers the page, not the iframe's parent window.
      scope.postMessage = (data) => this.dispatchEvent(new MessageEvent("message", { data }));
      // importScripts is synchronous in a real worker; Material's awaits it, so a promise will do.
      scope.importScripts = (...urls) => urls.reduce((done, src) => done.then(() => load(scope, src)), Promise.resolve());
      load(scope, new URL(url, location.href).href).then(() => {
        this.ready = true;
        this.queue.splice(0).forEach((data) => this.postMessage(data));
      });
    }

    postMessage(data) {
      if (!this.ready) this.queue.push(data);
      else this.frame.contentWindow.dispatchEvent(new MessageEvent("message", { data }));
    }

    terminate() {
      this.frame.remove();
    }
  }

  function load(scope, src) {
    return new Promise((resolve, reject) => {
      const script = scope.document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      scope.document.head.appendChild(script);
    });
  }

  // Material's search worker looks for this name to find its language files.
  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
