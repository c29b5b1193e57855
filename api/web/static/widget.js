// Lotsen web chat: a small widget on socket.io-client, talking to Rasa's socket.io channel.
// Text is always inserted as text (never as HTML); only https/http URLs become links.
// The server decides the conversation's language: every bot message carries it (metadata.language/dir),
// and the page follows it. The languages offered come from the server's configuration (window.LOTSEN).
(function () {
  "use strict";
  var config = window.LOTSEN;
  var root = document.documentElement;
  var log = document.getElementById("lotsen-log");
  var form = document.getElementById("lotsen-form");
  var input = document.getElementById("lotsen-input");
  var picker = document.getElementById("lotsen-language");
  var storage = window.localStorage;
  var sessionId = storage.getItem("lotsen.session");
  var codes = config.languages.map(function (l) { return l.code; });
  var language = storage.getItem("lotsen.language") || browserLanguage();

  // Before the first reply: the browser's language, as a hint the server may overrule.
  function browserLanguage() {
    var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) { return l.slice(0, 2); });
    return wanted.find(function (l) { return codes.indexOf(l) >= 0; }) || config.defaultLanguage;
  }

  config.languages.forEach(function (l) {
    var option = document.createElement("option");
    option.value = l.code; option.lang = l.code; option.dir = l.dir; option.textContent = l.name;
    picker.appendChild(option);
  });
  input.maxLength = config.maxLength;

  function applyLanguage(code, dir) {
    var known = config.languages.find(function (l) { return l.code === code; });
    if (!known) return;
    language = code;
    storage.setItem("lotsen.language", code);
    picker.value = code;
    root.lang = code;
    root.dir = dir || known.dir;
  }

  function appendText(parent, text) {
    var url = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g, last = 0, match;
    while ((match = url.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = document.createElement("a");
      link.href = match[0]; link.textContent = match[0]; link.target = "_blank"; link.rel = "noopener noreferrer";
      parent.appendChild(link);
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function addMessage(who, text) {
    var item = document.createElement("li");
    item.className = "lotsen__msg lotsen__msg--" + who;
    item.dir = "auto";
    appendText(item, text);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function addButtons(buttons) {
    var item = document.createElement("li");
    item.className = "lotsen__buttons";
    buttons.forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", function () { item.remove(); send(button.payload, button.title); });
      item.appendChild(element);
    });
    log.appendChild(item);
  }

  var socket = io(config.socketUrl, { transports: ["websocket", "polling"] });
  socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId }); });
  socket.on("session_confirm", function (id) {
    sessionId = typeof id === "string" ? id : (id && id.session_id);
    storage.setItem("lotsen.session", sessionId);
  });
  socket.on("bot_uttered", function (message) {
    // The assistant may switch language (a sentence in another language, "in English please"): follow it.
    var meta = message.metadata || {};
    if (meta.language && meta.language !== language) applyLanguage(meta.language, meta.dir);
    var item = message.text ? addMessage("bot", message.text) : null;
    if (item && meta.language) item.lang = meta.language;
    if (message.quick_replies && message.quick_replies.length) addButtons(message.quick_replies);
  });

  function send(payload, shown) {
    addMessage("user", shown || payload);
    socket.emit("user_uttered", { message: payload, session_id: sessionId, customData: { language: language } });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  picker.addEventListener("change", function () {
    applyLanguage(picker.value);
    // An explicit choice: the assistant switches and confirms in the chosen language.
    socket.emit("user_uttered", {
      message: '/switch_language{"language": "' + picker.value + '"}', session_id: sessionId,
      customData: { language: picker.value }
    });
  });

  applyLanguage(language);
})();
