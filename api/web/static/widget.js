// Lotsen chat widget. One script tag adds it to any page; the app serves it as /widget.js together with the
// socket.io client (api/routes/widget.py wraps both in one scope, where the client is `io`).
//
//   <script src="https://lotsen.example.se/widget.js" data-municipality="karlstad" data-language="sv" defer></script>
//
// Attributes of the script tag (README, "Embedding the widget"); LotsenWidget.mount(element, options) takes the
// same names without "data-" (pageLanguage for data-page-language):
//   data-server         Lotsen's address (default: where this script came from)
//   data-mode           "launcher": a button in the corner that opens the chat (default); "inline": fills an element
//   data-target         inline: CSS selector of the element to fill (default: a new element after the script tag)
//   data-language       initial language, sv en de nl ar uk (default: the visitor's browser language, if offered)
//   data-title          the name in the header and of the assistant's messages (default "Lotsen")
//   data-color          accent colour, #rrggbb; text on it is black or white, whichever contrasts more
//   data-municipality   the municipality whose site this is (name or slug): the conversation's default place
//   data-height         inline: the chat's height (CSS length, default 32em)
//   data-page-language  "follow": the page's own lang/dir follow the conversation (Lotsen's own page)
//
// - Text is always inserted as text, never as HTML. Only http(s) addresses become links: shown by the name
//   written before them ("Source: Skatteverket — https://…") or by their site, opened with rel="noopener".
// - The server decides the conversation's language: every message carries it (metadata.language/dir); the
//   widget's lang/dir and its own texts (from the server's gettext catalogs) follow it.
// - The conversation is Rasa's socket.io session (session persistence): its id is kept in localStorage, so a
//   reload or a new tab continues it, and the messages so far come from the server. "New conversation" starts
//   a fresh session and forgets the old one in this browser.
(function () {
  "use strict";
  var script = document.currentScript;
  var KEYS = { session: "lotsen.session", language: "lotsen.language", said: "lotsen.said", open: "lotsen.open" };
  var DEFAULT_COLOR = "#005a8c";
  var count = 0;

  // localStorage/sessionStorage, or memory where a browser refuses them (private modes, blocked storage).
  function storage(kind) {
    var memory = {}, real = null;
    try { real = window[kind]; real.setItem("lotsen.probe", "1"); real.removeItem("lotsen.probe"); } catch (e) { real = null; }
    return {
      get: function (key) {
        try { return real ? real.getItem(key) : (key in memory ? memory[key] : null); } catch (e) { return null; }
      },
      set: function (key, value) { memory[key] = value; try { if (real) real.setItem(key, value); } catch (e) { /* full */ } },
      remove: function (key) { delete memory[key]; try { if (real) real.removeItem(key); } catch (e) { /* blocked */ } }
    };
  }
  var local = storage("localStorage"), tab = storage("sessionStorage");

  function h(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var ICONS = {
    chat: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M3 11.5L21 3l-8.5 18-2.2-7.3L3 11.5z",
    fresh: "M12 5v14M5 12h14"
  };
  function icon(name) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "lotsen__icon lotsen__icon--" + name);
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  // --- colours: the embedder's accent, with text and link colours that keep WCAG AA contrast ---------------------
  function rgb(value) {
    var match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!match) return null;
    var hex = match[1].length === 3 ? match[1].replace(/./g, "$&$&") : match[1];
    return [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
  }
  function luminance(color) {
    var c = color.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function hex(color) {
    return "#" + color.map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join("");
  }
  function darkened(color, against, ratio) {
    var out = color.slice();
    for (var i = 0; i < 30 && contrast(out, against) < ratio; i++) out = out.map(function (v) { return v * 0.9; });
    return out;
  }
  function palette(value) {
    var accent = rgb(value) || rgb(DEFAULT_COLOR), white = [255, 255, 255], dark = [17, 24, 39];
    var on = contrast(accent, white) >= contrast(accent, dark) ? white : dark;
    return {
      "--lotsen-accent": hex(accent),
      "--lotsen-on-accent": hex(on),
      "--lotsen-accent-text": hex(darkened(accent, white, 4.6)),      // buttons' text on white
      "--lotsen-link": hex(darkened(accent, [238, 242, 246], 4.6))    // links in the assistant's bubbles
    };
  }

  // --- links: readable names, safe targets ---------------------------------------------------------------------
  var URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]\u060C\u061B\u061F]/g;
  // The catalog's texts write "Name — address", "Name – address" and "Name: address" (locales/, every language):
  // the name runs back to the previous ": ", " — ", end of a sentence or line. Names may hold "–", "," and "( )".
  var NAME_END = /(?:[ \t\u00a0]+[\u2014\u2013]|[ \t\u00a0]*[:\uFF1A])[ \t\u00a0]*$/;
  var NAME_START = /^[\s\S]*(?:[:\uFF1A][ \t\u00a0]|[ \t\u00a0]\u2014[ \t\u00a0]|[.!?\u061F][ \t\u00a0]|\n)/;

  function host(url) {
    try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return null; }
  }
  // The name written right before an address on the same line ("Source: Skatteverket — https://…" → Skatteverket).
  function nameBefore(text) {
    var end = NAME_END.exec(text);
    if (!end) return null;
    var head = text.slice(0, end.index), start = NAME_START.exec(head), from = start ? start[0].length : 0;
    while (from < head.length && /\s/.test(head.charAt(from))) from++;
    var name = head.slice(from).trim();
    return name.length >= 2 && name.length <= 60 ? { name: name, start: from } : null;
  }

  // --- one widget -------------------------------------------------------------------------------------------------
  function mount(target, options) {
    options = options || {};
    var n = count++, prefix = n === 0 ? "lotsen-" : "lotsen" + (n + 1) + "-";
    var ids = { panel: prefix + "panel", title: prefix + "title", log: prefix + "log", input: prefix + "input",
                language: prefix + "language", newTab: prefix + "new-tab" };
    var server = String(options.server || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, "");
    var mode = options.mode === "inline" ? "inline" : "launcher";
    var title = options.title || "Lotsen";
    var followPage = options.pageLanguage === "follow";
    var config, texts, language, sessionId = local.get(KEYS.session), socket, ready = false, queue = [];
    var cache = {}, waitingTimer = null, statusKey = null;
    var root, panel, launcher, launcherLabel, picker, freshButton, freshLabel, closeButton, closeLabel, log, intro;
    var list, status, input, inputLabel, sendLabel, newTab;

    function getJSON(path) {
      return fetch(server + path, { credentials: "omit", mode: "cors" }).then(function (response) {
        if (!response.ok) { var error = new Error(path + ": HTTP " + response.status); error.status = response.status; throw error; }
        return response.json();
      });
    }

    function browserLanguage() {
      var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) { return String(l).slice(0, 2).toLowerCase(); });
      return wanted[0] || "";
    }

    function styles() {
      var existing = document.querySelector("link[data-lotsen-css]");
      if (existing) return existing.lotsenReady || Promise.resolve();
      var link = h("link", { rel: "stylesheet", href: server + "/static/widget.css", crossorigin: "anonymous",
                             "data-lotsen-css": "" });
      link.lotsenReady = new Promise(function (resolve) {
        link.onload = resolve; link.onerror = resolve; setTimeout(resolve, 5000);
      });
      document.head.appendChild(link);
      return link.lotsenReady;
    }

    function known(code) {
      return config.languages.filter(function (l) { return l.code === code; })[0] || null;
    }

    // --- building -------------------------------------------------------------------------------------------------
    function build() {
      var side = getComputedStyle(document.body || document.documentElement).direction === "rtl" ? "left" : "right";
      root = h(mode === "launcher" ? "aside" : "div", {
        "class": "lotsen-w lotsen-w--" + mode + " lotsen-w--" + side, "aria-label": mode === "launcher" ? title : null
      });
      var colours = palette(options.color);
      Object.keys(colours).forEach(function (name) { root.style.setProperty(name, colours[name]); });
      if (options.height) root.style.setProperty("--lotsen-height", String(options.height));

      picker = h("select", { id: ids.language, "class": "lotsen__language", "aria-label": config.languageLabel });
      config.languages.forEach(function (l) {
        picker.appendChild(h("option", { value: l.code, lang: l.code, dir: l.dir, text: l.name }));
      });
      freshLabel = h("span", { "class": "lotsen-visually-hidden" });
      freshButton = h("button", { type: "button", "class": "lotsen__icon-button lotsen__fresh" }, [icon("fresh"), freshLabel]);
      if (mode === "launcher") {
        closeLabel = h("span", { "class": "lotsen-visually-hidden" });
        closeButton = h("button", { type: "button", "class": "lotsen__icon-button lotsen__close" }, [icon("close"), closeLabel]);
      }
      intro = h("p", { "class": "lotsen__intro" });
      list = h("ol", { id: ids.log, "class": "lotsen__list" });
      // The live region: a container with role="log" around a real list (an <ol> of <li> keeps its list semantics).
      // Silent until the conversation so far is shown; then each new message is announced.
      log = h("div", { "class": "lotsen__log", role: "log", "aria-live": "off", tabindex: "0" }, [intro, list]);
      status = h("p", { "class": "lotsen__status", role: "status" });
      inputLabel = h("label", { "for": ids.input, "class": "lotsen-visually-hidden" });
      input = h("input", { id: ids.input, "class": "lotsen__input", name: "message", type: "text", dir: "auto",
                           autocomplete: "off", enterkeyhint: "send", maxlength: config.maxLength });
      sendLabel = h("span", { "class": "lotsen-visually-hidden" });
      var form = h("form", { "class": "lotsen__form", novalidate: true }, [
        inputLabel, input, h("button", { type: "submit", "class": "lotsen__send" }, [icon("send"), sendLabel])
      ]);
      newTab = h("span", { id: ids.newTab, "class": "lotsen-visually-hidden" });
      panel = h(mode === "inline" ? "section" : "div", {
        id: ids.panel, "class": "lotsen", role: mode === "launcher" ? "dialog" : null, "aria-labelledby": ids.title,
        hidden: mode === "launcher"
      }, [
        h("div", { "class": "lotsen__bar" }, [
          h("h2", { "class": "lotsen__title", id: ids.title, text: title }), picker, freshButton, closeButton
        ]),
        log, status, form, newTab
      ]);
      if (mode === "launcher") {
        launcherLabel = h("span", { "class": "lotsen-visually-hidden" });
        launcher = h("button", { type: "button", "class": "lotsen__launcher", "aria-expanded": "false",
                                 "aria-controls": ids.panel }, [icon("chat"), icon("close"), launcherLabel]);
        root.appendChild(launcher);  // the button comes before what it opens
      }
      root.appendChild(panel);

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var text = input.value.trim();
        if (!text) return;
        input.value = "";
        inputDirection();
        send(text);
      });
      input.addEventListener("input", inputDirection);
      picker.addEventListener("change", function () {
        var code = picker.value;
        setLanguage(code);
        // An explicit choice: the assistant switches and confirms in the chosen language.
        command('/switch_language{"language": "' + code + '"}');
      });
      freshButton.addEventListener("click", startOver);
      if (mode === "launcher") {
        launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
        closeButton.addEventListener("click", function () { setOpen(false, true); });
        root.addEventListener("keydown", function (event) {
          if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); setOpen(false, true); }
        });
      }
    }

    // Empty, the input takes the conversation's direction (Chromium resolves an empty dir="auto" as ltr); with
    // text, the direction of what is written.
    function inputDirection() {
      input.dir = input.value ? "auto" : panel.dir || "auto";
    }

    function applyTexts(t) {
      texts = t;
      freshLabel.textContent = t["new"]; freshButton.title = t["new"];
      if (closeButton) { closeLabel.textContent = t.close; closeButton.title = t.close; }
      if (launcher) { launcherLabel.textContent = panel.hidden ? t.open : t.close; launcher.title = launcherLabel.textContent; }
      intro.textContent = t.intro;
      log.setAttribute("aria-label", t.log);
      inputLabel.textContent = t.message;
      input.placeholder = t.placeholder;
      sendLabel.textContent = t.send;
      newTab.textContent = t.new_tab;
      if (statusKey) status.textContent = t[statusKey];
      Array.prototype.forEach.call(list.querySelectorAll(".lotsen__choices"), function (group) {
        group.setAttribute("aria-label", t.choices);
      });
    }

    function loadTexts(code) {
      if (!cache[code]) {
        cache[code] = getJSON("/api/v1/widget/texts?language=" + encodeURIComponent(code))
          .then(function (answer) { return answer.texts; })
          .catch(function (error) { delete cache[code]; throw error; });
      }
      return cache[code];
    }

    function setLanguage(code, dir) {
      var found = known(code);
      if (!found) return;
      var direction = dir === "rtl" || dir === "ltr" ? dir : found.dir;
      language = code;
      local.set(KEYS.language, code);
      [panel, launcher].forEach(function (node) { if (node) { node.lang = code; node.dir = direction; } });
      inputDirection();
      picker.value = code;
      if (followPage) { document.documentElement.lang = code; document.documentElement.dir = direction; }
      root.dispatchEvent(new CustomEvent("lotsen:language", { bubbles: true, detail: { language: code, dir: direction } }));
      loadTexts(code).then(function (t) { if (language === code) applyTexts(t); }, function (error) {
        console.warn("Lotsen: the widget's texts could not be loaded", error);
      });
    }

    // --- messages -------------------------------------------------------------------------------------------------
    function changed() {
      intro.hidden = list.children.length > 0;
      log.scrollTop = log.scrollHeight;
    }

    function appendLinked(parent, text) {
      var last = 0, match;
      URL_PATTERN.lastIndex = 0;
      while ((match = URL_PATTERN.exec(text)) !== null) {
        var url = match[0], site = host(url), before = text.slice(last, match.index);
        var named = site ? nameBefore(before) : null;
        parent.appendChild(document.createTextNode(named ? before.slice(0, named.start) : before));
        parent.appendChild(h("a", { href: url, target: "_blank", rel: "noopener noreferrer", "class": "lotsen__link",
                                    "aria-describedby": ids.newTab, text: named ? named.name : (site || url) }));
        if (named) {
          parent.appendChild(document.createTextNode(" "));
          parent.appendChild(h("span", { "class": "lotsen__site", dir: "ltr", text: site }));
        }
        last = match.index + url.length;
      }
      parent.appendChild(document.createTextNode(text.slice(last)));
    }

    function addBot(text, code, dir) {
      var item = h("li", { "class": "lotsen__msg lotsen__msg--bot", lang: code || null, dir: dir || "auto" }, [
        h("span", { "class": "lotsen-visually-hidden", text: title + ": " })
      ]);
      appendLinked(item, text);
      list.appendChild(item);
      changed();
    }

    function addUser(text) {
      list.appendChild(h("li", { "class": "lotsen__msg lotsen__msg--user", dir: "auto" }, [
        h("span", { "class": "lotsen-visually-hidden", text: (texts.you || "") + ": " }),
        document.createTextNode(text)
      ]));
      changed();
    }

    function addChoices(buttons) {
      var group = h("div", { "class": "lotsen__choices", role: "group", "aria-label": texts.choices });
      buttons.forEach(function (button) {
        var element = h("button", { type: "button", "class": "lotsen__choice", text: button.title });
        element.addEventListener("click", function () {
          send(button.payload, button.title);
          input.focus();  // the chosen button is gone; the conversation goes on in the input
        });
        group.appendChild(element);
      });
      list.appendChild(h("li", { "class": "lotsen__buttons" }, [group]));
      changed();
    }

    function removeChoices() {
      Array.prototype.forEach.call(list.querySelectorAll(".lotsen__buttons"), function (item) { item.remove(); });
    }

    function clear() {
      while (list.firstChild) list.removeChild(list.firstChild);
      changed();
    }

    // One line for the connection, a reply being written, a new conversation: by the name of its text, so it
    // follows a change of language.
    function setStatus(key) {
      statusKey = key || null;
      status.textContent = key ? texts[key] : "";
    }

    function waiting(on) {
      clearTimeout(waitingTimer);
      if (on) {
        setStatus("waiting");
        waitingTimer = setTimeout(function () { waiting(false); }, 45000);
      } else if (statusKey === "waiting") {
        setStatus(null);
      }
    }

    function show(messages) {
      messages.forEach(function (message) {
        if (message.from === "user") addUser(message.text);
        else addBot(message.text, message.language, message.dir);
        if (message.buttons && message.buttons.length) addChoices(message.buttons);
      });
    }

    // The conversation so far (a reload, a new tab): from the server; null when it has none to show.
    function history(id) {
      return getJSON("/api/v1/widget/conversations/" + encodeURIComponent(id)).catch(function (error) {
        if (error.status === 404 || error.status === 422) forget();  // not a conversation of this widget
        return null;
      });
    }

    function forget() {
      [KEYS.session, KEYS.language, KEYS.said].forEach(local.remove);
      sessionId = null;
    }

    // --- talking --------------------------------------------------------------------------------------------------
    function metadata(shown) {
      return { language: language, municipality: config.municipality ? config.municipality.name : undefined,
               shown: shown || undefined };
    }

    function emit(item) {
      socket.emit("user_uttered", { message: item.message, session_id: sessionId, customData: metadata(item.shown) });
    }

    function flush() {
      while (ready && queue.length) emit(queue.shift());
    }

    function send(message, shown) {
      removeChoices();
      addUser(shown || message);
      if (sessionId) local.set(KEYS.said, JSON.stringify({ session: sessionId, text: shown || message, at: Date.now() }));
      queue.push({ message: message, shown: shown });
      flush();
      waiting(true);
    }

    function command(message) {
      queue.push({ message: message });
      flush();
    }

    function connect() {
      socket = io(config.socketUrl, { transports: ["websocket", "polling"], reconnectionDelayMax: 10000 });
      socket.on("connect", function () {
        if (statusKey === "offline") setStatus(null);
        socket.emit("session_request", { session_id: sessionId });
      });
      socket.on("session_confirm", function (id) {
        var confirmed = typeof id === "string" ? id : (id && id.session_id);
        if (!confirmed) return;
        sessionId = confirmed;
        local.set(KEYS.session, confirmed);
        ready = true;
        flush();
      });
      socket.on("connect_error", function () { ready = false; setStatus("offline"); });
      socket.on("disconnect", function (reason) {
        ready = false;
        if (reason !== "io client disconnect") setStatus("offline");
      });
      socket.on("bot_uttered", function (message) {
        // The assistant may switch language (a sentence in another language, "in English please"): follow it.
        var meta = (message && message.metadata) || {};
        if (meta.language && meta.language !== language) setLanguage(meta.language, meta.dir);
        if (message.text) addBot(message.text, meta.language, meta.dir);
        if (message.quick_replies && message.quick_replies.length) addChoices(message.quick_replies);
        waiting(false);
      });
    }

    function reconnect() {
      ready = false;
      socket.disconnect();  // leaves the old conversation's room
      socket.connect();     // and asks for `sessionId` (null: a new one)
    }

    function startOver() {
      forget();
      queue = [];
      clear();
      waiting(false);
      setLanguage(config.language);
      reconnect();
      setStatus("new_started");
      input.focus();
    }

    // Another tab of this site started a new conversation, or continued this one.
    function follow(event) {
      if (event.key === KEYS.session && event.newValue && event.newValue !== sessionId) {
        sessionId = event.newValue;
        clear();
        var stored = local.get(KEYS.language);
        setLanguage(stored && known(stored) ? stored : config.language);
        history(sessionId).then(function (answer) {
          if (answer) { show(answer.messages); if (answer.language) setLanguage(answer.language, answer.dir); }
        });
        reconnect();
      } else if (event.key === KEYS.language && event.newValue && event.newValue !== language && known(event.newValue)) {
        setLanguage(event.newValue);
      } else if (event.key === KEYS.said && event.newValue) {
        var said = null;
        try { said = JSON.parse(event.newValue); } catch (e) { return; }
        if (said && sessionId && said.session === sessionId && typeof said.text === "string") {
          removeChoices();
          addUser(said.text);
        }
      }
    }

    function setOpen(open, moveFocus) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      launcherLabel.textContent = open ? texts.close : texts.open;
      launcher.title = launcherLabel.textContent;
      tab.set(KEYS.open, open ? "1" : "0");
      if (open) {
        log.scrollTop = log.scrollHeight;
        if (moveFocus) input.focus();
      } else if (moveFocus) {
        launcher.focus();
      }
    }

    // --- start ----------------------------------------------------------------------------------------------------
    var wanted = options.language || browserLanguage();
    var query = "?language=" + encodeURIComponent(wanted) +
      (options.municipality ? "&municipality=" + encodeURIComponent(options.municipality) : "");
    return Promise.all([getJSON("/api/v1/widget/config" + query), styles()]).then(function (results) {
      config = results[0];
      if (options.municipality && !config.municipality) {
        console.warn("Lotsen: the municipality " + JSON.stringify(options.municipality) + " is not in the catalog");
      }
      cache[config.language] = Promise.resolve(config.texts);
      build();
      applyTexts(config.texts);
      var stored = sessionId && local.get(KEYS.language);
      setLanguage(stored && known(stored) ? stored : config.language);
      (target || document.body).appendChild(root);
      if (mode === "launcher" && tab.get(KEYS.open) === "1") setOpen(true, false);
      return sessionId ? history(sessionId) : null;
    }).then(function (answer) {
      if (answer) {
        show(answer.messages);
        if (answer.language) setLanguage(answer.language, answer.dir);
      }
      changed();
      log.setAttribute("aria-live", "polite");
      window.addEventListener("storage", follow);
      connect();
      return {
        element: root,
        open: function () { if (launcher) setOpen(true, true); },
        close: function () { if (launcher) setOpen(false, true); }
      };
    }).catch(function (error) {
      console.warn("Lotsen: the chat could not start (is this page's origin in Lotsen's CORS_ORIGINS?)", error);
      if (root && root.parentNode) root.parentNode.removeChild(root);
      return null;
    });
  }

  window.LotsenWidget = { mount: mount };

  if (script && !script.hasAttribute("data-manual")) {
    var data = script.dataset;
    var start = function () {
      var target = null;
      if (data.mode === "inline") {
        target = data.target ? document.querySelector(data.target) : null;
        if (!target) {
          target = document.createElement("div");
          script.parentNode.insertBefore(target, script.nextSibling);
        }
      }
      mount(target, {
        server: data.server, mode: data.mode, language: data.language, title: data.title, color: data.color,
        municipality: data.municipality, height: data.height, pageLanguage: data.pageLanguage
      });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
}());
