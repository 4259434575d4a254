/* A live table of warnings (the inbox, a risk's warnings section): its acknowledge buttons,
   the message line above it, and a refresh whenever a warning event the page shows arrives. */
(function () {
  "use strict";
  const cr = window.crossrisk;

  // options: container (holds the table), message (the message line), tableUrl and tableId
  // (where the fresh table comes from), after, csrfToken, texts, and optionally
  // shows(event): whether a warning event concerns this page (default: every one).
  // Returns {say, refresh} for the page's own controls.
  function warningTable(options) {
    const texts = options.texts;
    const message = options.message;
    const shows = options.shows || function () {
      return true;
    };

    function say(text, kind) {
      message.textContent = text;
      message.className = "inbox-message alert " + (kind === "ok" ? "alert-ok" : "alert-error");
      message.hidden = false;
    }

    const refresh = cr.live.debounce(function () {
      cr.live.swapIn(options.tableUrl, options.tableId).catch(function () {
        say(texts.reload, "error");
      });
    }, 150);

    // The table is swapped whole, so the buttons are handled where they are clicked.
    options.container.addEventListener("click", function (event) {
      const button = event.target.closest("button.ack-button");
      if (!button) {
        return;
      }
      button.disabled = true;
      const url = "/api/warnings/" + encodeURIComponent(button.dataset.warning) + "/acknowledge";
      cr.live.postJson(url, {}, options.csrfToken)
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
      after: options.after,
      indicator: document.getElementById("live-status"),
      texts: texts,
      onEvent: function (event) {
        if (event.action.indexOf("warning.") === 0 && shows(event)) {
          refresh();
        }
      },
    });

    return { say: say, refresh: refresh };
  }

  cr.warningTable = warningTable;
})();
