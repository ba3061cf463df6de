/*!
 * Leg-pain symptom checker widget: rasa-webchat (window.WebChat, loaded first) plus
 *  - the assessment card, rendered from the bot's custom message {"assessment": {...}};
 *  - accessibility fixes (labels, keyboard-usable quick replies, a live conversation log);
 *  - a small API: LegPainChat.send(text), .open(), .close(), .sessionId().
 * Loaded by embed.js; see README "Embedding the chat on your website".
 */
(function () {
  "use strict";

  var REACT_ELEMENT = (typeof Symbol === "function" && Symbol.for) ? Symbol.for("react.element") : 0xeac7;
  var STORAGE_KEY = "chat_session";  // rasa-webchat's key for the conversation in localStorage

  var TRIAGE = {
    emergency: {label: "Emergency", words: "Call an ambulance or go to the emergency department now."},
    urgent: {label: "Urgent", words: "See a doctor today or within 24 hours."},
    see_doctor: {label: "See a doctor", words: "Book an appointment with a doctor in the coming days."},
    self_care: {label: "Self-care", words: "You can look after this at home for now."}
  };

  var RED_FLAGS = {
    saddle_numbness: "numbness between the legs or around the bottom",
    bladder_bowel_dysfunction: "new problems controlling the bladder or bowels",
    bilateral_leg_symptoms: "symptoms in both legs",
    progressive_weakness: "weakness that is getting worse",
    foot_drop: "foot drop (the foot slaps or catches when walking)",
    fever: "fever",
    major_trauma: "a recent serious injury or fall",
    cancer_history: "a history of cancer",
    unexplained_weight_loss: "weight loss without trying",
    calf_swelling: "a swollen, tender calf",
    chest_pain_or_breathlessness: "chest pain or breathlessness",
    cold_pale_leg: "a cold, pale leg",
    immunosuppression: "a weakened immune system",
    night_pain: "pain at night that does not ease with rest"
  };

  var state = {config: null, ref: null, root: null, observer: null};

  // ------------------------------------------------------------------ helpers

  function esc(value) {
    return String(value === undefined || value === null ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function linkify(text) {
    return esc(text).replace(/https?:\/\/[^\s)]+/g, function (url) {
      return '<a href="' + url + '" target="_blank" rel="noopener noreferrer">' + url + "</a>";
    });
  }

  function list(items, className) {
    if (!items || !items.length) { return ""; }
    return '<ul class="' + (className || "") + '">' + items.map(function (item) {
      return "<li>" + esc(item) + "</li>";
    }).join("") + "</ul>";
  }

  var SHOWN_TIPS = 3;

  function tips(items) {
    if (!items || !items.length) { return ""; }
    var shown = list(items.slice(0, SHOWN_TIPS), "lp-self-care");
    if (items.length <= SHOWN_TIPS) { return shown; }
    var more = items.length - SHOWN_TIPS;
    return shown + '<details class="lp-more"><summary>' + more + " more tip" + (more > 1 ? "s" : "") +
      "</summary>" + list(items.slice(SHOWN_TIPS), "lp-self-care") + "</details>";
  }

  function section(title, html, extraClass) {
    if (!html) { return ""; }
    return '<section class="lp-card-section ' + (extraClass || "") + '"><h4>' + esc(title) + "</h4>" + html + "</section>";
  }

  // ------------------------------------------------------------------ the assessment card

  // The signed links to the one-page summary for the doctor (report/ on the Rasa server),
  // added to the assessment by the socket.io channel.
  function reportHtml(report) {
    if (!report || !report.pdf) { return ""; }
    return '<p class="lp-report-links">' +
      '<a class="lp-report-link lp-report-pdf" href="' + esc(report.pdf) + '" target="_blank" rel="noopener" ' +
        'download="leg-pain-summary.pdf" type="application/pdf">Download the summary for your doctor (PDF)</a>' +
      (report.html ? '<a class="lp-report-link lp-report-page" href="' + esc(report.html) +
        '" target="_blank" rel="noopener">Open it as a page to print</a>' : "") +
      "</p>" +
      '<p class="lp-report-note">The link works for 24 hours, and stops working if you delete your data.</p>';
  }

  function cardHtml(a, report) {
    var triage = TRIAGE[a.triage] ? a.triage : "see_doctor";
    var level = TRIAGE[triage];
    var assets = (state.config && state.config.assetsUrl) || "";
    var roots = a.dermatomes || [];
    var causes = (a.causes || []).map(function (cause, index) {
      return '<li class="lp-cause">' +
        '<span class="lp-cause-name">' + esc(cause.name) + "</span>" +
        (index === 0 ? ' <span class="lp-cause-tag">most likely</span>' : "") +
        (cause.why && cause.why.length ? '<div class="lp-why-line"><span class="lp-why-label">Why: </span>' + list(cause.why, "lp-why") + "</div>" : "") +
        "</li>";
    }).join("");
    var flags = (a.red_flags || []).map(function (id) { return RED_FLAGS[id] || id.replace(/_/g, " "); });
    var map = "";
    if (roots.length && a.dermatome_map !== false) {  // only when a nerve root explains it
      var src = assets + "/maps/dermatomes.svg?highlight=" + encodeURIComponent(roots.join(","));
      map = "<p>Where you feel it matches the <strong>" + esc(roots.join(", ")) +
        "</strong> dermatome" + (roots.length > 1 ? "s" : "") +
        ' (the strip of skin one spinal nerve root supplies).</p>' +
        '<a class="lp-map-link" href="' + esc(src) + '" target="_blank" rel="noopener">' +
        '<img class="lp-map" src="' + esc(src) + '" alt="Leg dermatome map with ' +
        esc(roots.join(" and ")) + ' highlighted" loading="lazy"></a>';
    }
    var sources = (a.sources || []).map(function (s) { return "<li>" + linkify(s) + "</li>"; }).join("");
    return '<article class="lp-card lp-triage-' + triage + '" data-triage="' + triage + '" aria-label="Assessment: ' + esc(level.label) + '">' +
      '<header class="lp-card-triage">' +
        '<span class="lp-card-level">' + esc(level.label) + "</span>" +
        '<span class="lp-card-headline">' + esc(a.triage_headline || level.words) + "</span>" +
      "</header>" +
      '<div class="lp-card-body">' +
        section("When to see a doctor", a.see_doctor ? "<p>" + esc(a.see_doctor) + "</p>" : "", "lp-see-doctor") +
        section("Warning signs you mentioned", list(flags, "lp-flags"), "lp-red-flags") +
        section("What could be causing it", causes ? '<ol class="lp-causes">' + causes + "</ol>" : "", "lp-causes-section") +
        section("Nerve roots", map, "lp-dermatomes") +
        section("For your doctor", reportHtml(report), "lp-report") +
        section("What you can do at home", tips(a.self_care), "lp-self-care-section") +
        section("A doctor may check", list(a.doctor_may, "lp-doctor-may"), "lp-doctor-may-section") +
        (sources ? '<details class="lp-sources"><summary>Sources</summary><ul>' + sources + "</ul></details>" : "") +
        (a.not_a_diagnosis ? '<p class="lp-card-notice" role="note"><strong>Not a diagnosis.</strong> ' + esc(a.not_a_diagnosis) + "</p>" : "") +
      "</div></article>";
  }

  // rasa-webchat calls this with the custom message's fields as props. The UMD bundle keeps its
  // own React private, so the card is returned as a plain React element object.
  function CustomMessage(props) {
    var payload = props && props.assessment ? props : (props && props.custom) || {};
    if (!payload.assessment) { return null; }
    return {
      $$typeof: REACT_ELEMENT, type: "div", key: null, ref: null, _owner: null,
      props: {className: "lp-card-host",
              dangerouslySetInnerHTML: {__html: cardHtml(payload.assessment, payload.report)}}
    };
  }

  // ------------------------------------------------------------------ accessibility

  function label(el, text) {
    if (el && el.getAttribute("aria-label") !== text) { el.setAttribute("aria-label", text); }
  }

  function enhance() {
    var root = state.root;
    if (!root) { return; }
    syncFullScreen();
    var launcher = root.querySelector(".rw-launcher");
    if (launcher) {
      var open = !!root.querySelector(".rw-conversation-container");
      label(launcher, open ? "Close the symptom checker chat" : "Open the symptom checker chat");
      launcher.setAttribute("aria-expanded", open ? "true" : "false");
      if (!launcher.getAttribute("type")) { launcher.setAttribute("type", "button"); }
    }
    var close = root.querySelector(".rw-close-button");
    if (close) { label(close, "Close chat"); }
    var input = root.querySelector(".rw-new-message");
    if (input) {
      label(input, "Type your message");
      if (input.getAttribute("autocomplete") !== "off") { input.setAttribute("autocomplete", "off"); }
    }
    var send = root.querySelector(".rw-send");
    if (send) { label(send, "Send message"); }
    var log = root.querySelector(".rw-messages-container");
    if (log && log.getAttribute("role") !== "log") {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation");
      log.setAttribute("tabindex", "0");
    }
    var replies = root.querySelectorAll(".rw-reply");
    for (var i = 0; i < replies.length; i++) {
      var reply = replies[i];
      if (reply.tagName !== "BUTTON" && reply.getAttribute("role") !== "button") {
        reply.setAttribute("role", "button");
        reply.setAttribute("tabindex", "0");
        reply.addEventListener("keydown", replyKey);
        reply.addEventListener("click", refocusInput);
      }
    }
    var images = root.querySelectorAll(".rw-imageFrame img, img.rw-image-frame");
    for (var j = 0; j < images.length; j++) {
      var image = images[j];
      if (!image.getAttribute("alt")) { image.setAttribute("alt", imageAlt(image.src)); }
      if (!image.getAttribute("tabindex")) {
        // open the full-size picture in a new tab (click, Enter or Space)
        image.setAttribute("tabindex", "0");
        image.setAttribute("role", "link");
        image.setAttribute("title", "Open the full-size picture");
        image.style.cursor = "zoom-in";
        image.addEventListener("click", openImage);
        image.addEventListener("keydown", replyKey);
      }
    }
  }

  function imageAlt(src) {
    // the pain diary's trend chart (report/diary_chart.py, a signed link to the Rasa server)
    if (/\/webhooks\/report\/[^/?#]+\.png(?:$|[?#])/.test(src)) {
      return "Chart of your pain diary: your worst pain each day";
    }
    if (!/\/maps\/dermatomes\./.test(src)) { return "Picture from the assistant"; }
    var match = /[?&]highlight=([^&#]*)/.exec(src);
    var roots = match ? decodeURIComponent(match[1]).split(",").filter(Boolean) : [];
    return "Leg dermatome map" + (roots.length ? " with " + roots.join(" and ") + " highlighted" : "");
  }

  // after a quick reply is chosen the buttons go away: keep the focus in the chat
  function refocusInput() {
    setTimeout(function () {
      var active = document.activeElement;
      if (!active || active === document.body) { focusInput(); }
    }, 60);
  }

  function openImage(event) {
    window.open(event.currentTarget.src, "_blank", "noopener");
  }

  function replyKey(event) {
    if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
      event.preventDefault();
      event.currentTarget.click();
    }
  }

  // ------------------------------------------------------------------ API

  function sessionId() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      return stored && stored.session_id ? stored.session_id : null;
    } catch (e) {
      return null;
    }
  }

  function isOpen() {
    return !!(state.root && state.root.querySelector(".rw-conversation-container"));
  }

  function open() {
    if (!isOpen()) {
      var launcher = state.root && state.root.querySelector(".rw-launcher");
      if (launcher) { launcher.click(); }
    }
  }

  function close() {
    if (isOpen()) {
      var launcher = state.root && state.root.querySelector(".rw-launcher");
      if (launcher) { launcher.click(); }
    }
  }

  function focusInput() {
    var input = state.root && state.root.querySelector(".rw-new-message");
    if (input) { input.focus(); }
    return !!input;
  }

  function storedConversation() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      return (stored && stored.conversation) || [];
    } catch (e) {
      return [];
    }
  }

  function deliver(text) {
    var ref = state.ref;
    if (ref && typeof ref.sendMessage === "function") {
      ref.sendMessage(text, text);  // (payload, text shown in the conversation)
      return;
    }
    // fallback: type into the widget's own form
    var input = state.root && state.root.querySelector(".rw-new-message");
    var form = input && input.form;
    if (!form) { return; }
    var setter = Object.getOwnPropertyDescriptor(window.HTMLTextAreaElement.prototype, "value").set;
    setter.call(input, text);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", {bubbles: true, cancelable: true})); }
  }

  /** Send `text` as if the patient typed it: shown in the conversation, sent to Rasa.
      In a new conversation the greeting (with the not-a-doctor notice) comes first. */
  function send(text) {
    if (!text) { return false; }
    var fresh = storedConversation().length === 0;
    open();
    if (!fresh) {
      deliver(text);
      return true;
    }
    var started = Date.now(), lastCount = -1, stableSince = Date.now();
    (function waitForGreeting() {
      var root = state.root;
      var count = root ? root.querySelectorAll(".rw-from-response .rw-message").length : 0;
      var typing = root && root.querySelector("#wave");
      if (count !== lastCount) { lastCount = count; stableSince = Date.now(); }
      var settled = count > 0 && !typing && (root.querySelector(".rw-replies") || Date.now() - stableSince > 1000);
      if (settled || Date.now() - started > 8000) {
        deliver(text);
      } else {
        setTimeout(waitForGreeting, 100);
      }
    })();
    return true;
  }

  // ------------------------------------------------------------------ phones

  var PHONE = "(max-width: 600px)";

  // The on-screen keyboard shrinks the visual viewport; where it does not resize the page as
  // well (iOS Safari, or Chrome without interactive-widget=resizes-content) a 100dvh chat
  // would hide its own text box behind the keyboard. The CSS sizes the full-screen chat from
  // these two variables instead.
  function trackViewport() {
    var viewport = window.visualViewport;
    var style = document.documentElement.style;
    function update() {
      if (!viewport) { return; }
      style.setProperty("--lp-viewport-height", Math.round(viewport.height) + "px");
      style.setProperty("--lp-viewport-top", Math.round(viewport.offsetTop) + "px");
    }
    if (viewport) {
      viewport.addEventListener("resize", update);
      viewport.addEventListener("scroll", update);
      update();
    }
  }

  // While the chat fills a phone's screen the page behind it must not scroll.
  function syncFullScreen() {
    var full = isOpen() && window.matchMedia && window.matchMedia(PHONE).matches;
    document.documentElement.classList.toggle("lp-chat-fullscreen", !!full);
  }

  // ------------------------------------------------------------------ set-up

  function applyColours(colours) {
    var root = document.documentElement;
    var map = {primary: "--lp-primary", accent: "--lp-accent", text: "--lp-on-primary"};
    if (colours && colours.primary && !colours.accent) { colours.accent = colours.primary; }
    Object.keys(map).forEach(function (key) {
      if (colours && colours[key]) { root.style.setProperty(map[key], colours[key]); }
    });
  }

  function messageDelay(config) {
    if (typeof config.messageDelay === "function") { return config.messageDelay; }
    var perChar = config.messageDelay === undefined ? 12 : Number(config.messageDelay);
    return function (message) {
      if (!perChar) { return 0; }
      return Math.max(250, Math.min(1200, (message || "").length * perChar));
    };
  }

  function init(options) {
    var config = options || window.LegPainChat || {};
    if (state.config) { return window.LegPainChat; }
    state.config = config;
    if (!window.WebChat || !window.WebChat.default) {
      throw new Error("rasa-webchat (window.WebChat) is not loaded");
    }
    applyColours(config.colours || config.colors);
    var mount = config.selector ? document.querySelector(config.selector) : null;
    if (!mount) {
      mount = document.createElement("div");
      mount.id = "legpain-chat";
      document.body.appendChild(mount);
    }
    mount.classList.add("lp-chat");
    // a landmark of its own: everything on a page belongs to one (WCAG 1.3.1, axe `region`)
    if (!mount.closest("main, [role=main], aside, [role=complementary], [role=region]")) {
      mount.setAttribute("role", "region");
      if (!mount.getAttribute("aria-label")) {
        mount.setAttribute("aria-label", config.title || "Leg pain symptom checker");
      }
    }
    state.root = mount;
    trackViewport();
    if (window.matchMedia) {
      var phone = window.matchMedia(PHONE);
      if (phone.addEventListener) { phone.addEventListener("change", syncFullScreen); }
    }
    document.addEventListener("keydown", function (event) {
      // Escape (in the chat, or with nothing focused) closes it; the launcher gets the focus
      var active = document.activeElement;
      var inChat = !active || active === document.body || mount.contains(active);
      if ((event.key === "Escape" || event.key === "Esc") && isOpen() && inChat) {
        close();
        setTimeout(function () {
          var launcher = mount.querySelector(".rw-launcher");
          if (launcher) { launcher.focus(); }
        }, 50);
      }
    });
    state.observer = new MutationObserver(enhance);
    state.observer.observe(mount, {childList: true, subtree: true});

    // rasa-webchat 0.x had WebChat.send(text); 1.x only has it on a React ref. Keep both.
    if (!window.WebChat.send) { window.WebChat.send = send; }
    window.WebChat.default({
      socketUrl: config.serverUrl,
      socketPath: config.socketPath || "/socket.io/",
      title: config.title || "Leg pain symptom checker",
      subtitle: config.subtitle || "Automated - not a doctor",
      initPayload: config.initPayload || "/greet",
      inputTextFieldHint: config.inputHint || "Type your message...",
      connectingText: "Connecting...",
      customData: config.customData || {language: "en"},
      params: {storage: "local", images: {dims: {width: 280, height: 264}}},
      customMessageDelay: messageDelay(config),
      customComponent: CustomMessage,
      withRules: false,
      hideWhenNotConnected: false,
      showFullScreenButton: false,
      displayUnreadCount: true,
      showMessageDate: false,
      innerRef: function (ref) { state.ref = ref; },
      onSocketEvent: {
        connect: function () { mount.setAttribute("data-connected", "true"); },
        disconnect: function () { mount.setAttribute("data-connected", "false"); }
      }
    }, mount);
    if (config.openOnLoad === true || config.openOnLoad === "true") {
      var tries = 0;
      var timer = setInterval(function () {
        tries += 1;
        if (state.root.querySelector(".rw-launcher") || tries > 50) { clearInterval(timer); open(); }
      }, 100);
    }
    return window.LegPainChat;
  }

  var api = {init: init, send: send, open: open, close: close, isOpen: isOpen, focusInput: focusInput,
             sessionId: sessionId, renderCard: cardHtml};
  window.LegPainChatWidget = api;
  window.LegPainChat = window.LegPainChat || {};
  Object.keys(api).forEach(function (key) {
    if (key !== "init") { window.LegPainChat[key] = api[key]; }
  });
})();
