/* My duties: refreshed as duty and warning events arrive; a reminder of one of the
   organisation's duties is said above the table. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const message = document.getElementById("duty-message");
  if (!document.getElementById("duties-panel")) {
    return;
  }

  function say(text, kind) {
    message.textContent = text;
    message.className = "duty-message alert " + (kind === "ok" ? "alert-ok" : "alert-error");
    message.hidden = false;
  }

  const refresh = cr.live.debounce(function () {
    cr.live.swapIn(data.tableUrl, "duties-table").catch(function () {
      say(data.texts.reload, "error");
    });
  }, 150);

  cr.live.follow({
    after: data.after,
    indicator: document.getElementById("live-status"),
    texts: data.texts,
    onEvent: function (event) {
      if (event.action === "duty.reminded" && event.organisation === data.organisation) {
        say(data.texts.reminded, "error");
      }
      if (event.action.indexOf("duty.") === 0) {
        refresh();
      }
    },
  });
})();
