/* A live table of warnings (the inbox, a risk's warnings section): its acknowledge buttons,
   the message line above it, a refresh whenever an event about a warning or a risk the page
   shows arrives, and lead times counted down each minute. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const MINUTE = 60000;

  // options: container (holds the table), message (the message line), tableUrl and tableId
  // (where the fresh table comes from), after, csrfToken, texts, and optionally
  // shows(event): whether a warning event concerns this page (default: every one), and
  // onRefreshed(table): called with the fresh table after each refresh.
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

    function table() {
      return document.getElementById(options.tableId);
    }

    // A risk event (its title changed, a new analysis) concerns the table when one of its
    // rows is about that risk: the rows show the risk's title, origin and hazard.
    function showsRisk(riskId) {
      const current = table();
      if (!current || riskId === undefined || riskId === null) {
        return false;
      }
      return Array.prototype.some.call(current.querySelectorAll("tr[data-risk]"), function (row) {
        return row.dataset.risk === String(riskId);
      });
    }

    const refresh = cr.live.debounce(function () {
      cr.live.swapIn(options.tableUrl, options.tableId)
        .then(function () {
          countDown();
          if (options.onRefreshed && table()) {
            options.onRefreshed(table());
          }
        })
        .catch(function () {
          say(texts.reload, "error");
        });
    }, 150);

    // The server wrote each lead time when it rendered the table; keep it true as time passes.
    function countDown() {
      const current = table();
      if (!current || !texts.arrived) {
        return;
      }
      const now = Date.now();
      current.querySelectorAll(".lead-time[data-arrival]").forEach(function (cell) {
        const arrival = Date.parse(cell.dataset.arrival);
        if (isNaN(arrival)) {
          return;
        }
        const minutes = Math.floor((arrival - now) / MINUTE);
        cell.classList.toggle("arrived", arrival <= now);
        if (arrival <= now) {
          cell.textContent = texts.arrived;
        } else if (minutes < 60) {
          cell.textContent = texts.leadMinutes.replace("%(minutes)d", String(minutes));
        } else {
          cell.textContent = texts.leadHoursMinutes
            .replace("%(hours)d", String(Math.floor(minutes / 60)))
            .replace("%(minutes)d", String(minutes % 60));
        }
      });
    }
    window.setInterval(countDown, MINUTE);

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
        } else if (event.action.indexOf("risk.") === 0 && showsRisk(event.risk_id)) {
          refresh();
        }
      },
    });

    return { say: say, refresh: refresh };
  }

  cr.warningTable = warningTable;
})();
