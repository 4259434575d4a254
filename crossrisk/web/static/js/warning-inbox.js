/* The warning inbox: refreshed as warning events arrive; the recipient acknowledges here. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const texts = data.texts;
  const panel = document.getElementById("warning-inbox-panel");
  const message = document.getElementById("inbox-message");
  if (!panel) {
    return;
  }

  function say(text, kind) {
    message.textContent = text;
    message.className = "inbox-message alert " + (kind === "ok" ? "alert-ok" : "alert-error");
    message.hidden = false;
  }

  const refresh = cr.live.debounce(function () {
    cr.live.swapIn(data.tableUrl, "warning-inbox").catch(function () {
      say(texts.reload, "error");
    });
  }, 150);

  // The table is swapped whole, so the buttons are handled where they are clicked.
  panel.addEventListener("click", function (event) {
    const button = event.target.closest("button.ack-button");
    if (!button) {
      return;
    }
    button.disabled = true;
    const url = "/api/warnings/" + encodeURIComponent(button.dataset.warning) + "/acknowledge";
    cr.live.postJson(url, {}, data.csrfToken)
      .then(function (result) {
        if (result.ok) {
          say(texts.acknowledged, "ok");
        } else {
          button.disabled = false;
          say(cr.live.problemText(result, texts), "error");
        }
        refresh();
      })
      .catch(function () {
        button.disabled = false;
        say(texts.failed, "error");
      });
  });

  cr.live.follow({
    after: data.after,
    indicator: document.getElementById("live-status"),
    texts: texts,
    onEvent: function (event) {
      if (event.action.indexOf("warning.") === 0) {
        refresh();
      }
    },
  });
})();
