/*!
 * Leg-pain symptom checker: embed the chat widget on any page with one script tag.
 *
 *   <script src="https://chat.example.org/embed.js" async
 *           data-server-url="https://rasa.example.org"
 *           data-title="Leg pain checker"
 *           data-primary-colour="#0b5e6b"></script>
 *
 * or configure it before the tag:
 *
 *   <script>window.LegPainChat = {serverUrl: "https://rasa.example.org", title: "Leg pain checker",
 *                                 colours: {primary: "#0b5e6b"}};</script>
 *
 * Everything it needs (the rasa-webchat bundle, the assessment card renderer, the styles and
 * the pictures) comes from the server this file was loaded from. Without a serverUrl it asks
 * that server's /config.json where Rasa is.
 */
(function () {
  "use strict";
  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/embed\.js(\?|#|$)/.test(all[i].src)) { return all[i]; }
    }
    return null;
  })();
  var base = script && script.src ? script.src.replace(/\/embed\.js(?:[?#].*)?$/, "") : "";
  var config = window.LegPainChat && typeof window.LegPainChat === "object" ? window.LegPainChat : {};
  window.LegPainChat = config;
  if (config._loading) { return; }
  config._loading = true;

  // data- attributes on the script tag fill in what window.LegPainChat leaves out
  var data = (script && script.dataset) || {};
  function pick(name, attr) {
    if (config[name] === undefined && data[attr] !== undefined && data[attr] !== "") {
      config[name] = data[attr];
    }
  }
  pick("serverUrl", "serverUrl");
  pick("socketPath", "socketPath");
  pick("title", "title");
  pick("subtitle", "subtitle");
  pick("selector", "selector");
  pick("initPayload", "initPayload");
  pick("openOnLoad", "openOnLoad");
  config.colours = config.colours || config.colors || {};
  ["primary", "accent", "text"].forEach(function (key) {
    var attr = key + "Colour", attrUs = key + "Color";
    if (!config.colours[key] && (data[attr] || data[attrUs])) {
      config.colours[key] = data[attr] || data[attrUs];
    }
  });
  config.assetsUrl = config.assetsUrl || base;

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = function () { resolve(el); };
      el.onerror = function () { reject(new Error("could not load " + (attrs.src || attrs.href))); };
      document.head.appendChild(el);
    });
  }

  function settings() {
    if (config.serverUrl) { return Promise.resolve(); }
    return fetch(base + "/config.json", {credentials: "omit"})
      .then(function (r) { return r.json(); })
      .then(function (defaults) {
        Object.keys(defaults).forEach(function (k) {
          if (config[k] === undefined) { config[k] = defaults[k]; }
        });
      });
  }

  Promise.all([
    settings(),
    load("link", {rel: "stylesheet", href: base + "/widget/legpain-chat.css"}),
    // rasa-webchat first: the widget script uses window.WebChat
    load("script", {src: base + "/vendor/rasa-webchat/index.js"}).then(function () {
      return load("script", {src: base + "/widget/legpain-chat.js"});
    })
  ]).then(function () {
    window.LegPainChatWidget.init(config);
  }).catch(function (error) {
    config._loading = false;
    if (window.console) { console.error("LegPainChat:", error); }
  });
})();
