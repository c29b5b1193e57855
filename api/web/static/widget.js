// Lotsen web chat: a small widget on socket.io-client, talking to Rasa's socket.io channel.
// Text is always inserted as text (never as HTML); only https/http URLs become links.
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
  var language = storage.getItem("lotsen.language") || guessLanguage();

  function guessLanguage() {
    var wanted = (navigator.languages || [navigator.language || "en"]).map(function (l) { return l.slice(0, 2); });
    return wanted.find(function (l) { return config.languages.indexOf(l) >= 0; }) || "en";
  }

  function applyLanguage(code) {
    language = code;
    storage.setItem("lotsen.language", code);
    picker.value = code;
    root.lang = code;
    root.dir = config.rtl.indexOf(code) >= 0 ? "rtl" : "ltr";
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
  var languageCheck = null;
  socket.on("bot_uttered", function (message) {
    if (message.text) addMessage("bot", message.text);
    if (message.quick_replies && message.quick_replies.length) addButtons(message.quick_replies);
    clearTimeout(languageCheck);
    languageCheck = setTimeout(followConversationLanguage, 300);
  });

  // The assistant may switch language (detected sentence, "in English please"): follow it on the page.
  function followConversationLanguage() {
    if (!sessionId) return;
    fetch("/api/v1/conversations/" + encodeURIComponent(sessionId) + "/language")
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && body.language && body.language !== language) applyLanguage(body.language); })
      .catch(function () {});
  }

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
