/* A risk's warnings section: refreshed as its warning events arrive; issue one by hand. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData().warnings;
  const section = document.getElementById("warnings");
  if (!data || !section) {
    return;
  }
  const texts = data.texts;
  const message = document.getElementById("warnings-message");
  const form = document.getElementById("warning-form");

  function say(text, kind) {
    message.textContent = text;
    message.className = "inbox-message alert " + (kind === "ok" ? "alert-ok" : "alert-error");
    message.hidden = false;
  }

  const refresh = cr.live.debounce(function () {
    cr.live.swapIn(data.tableUrl, "risk-warnings").catch(function () {
      say(texts.reload, "error");
    });
  }, 150);

  section.addEventListener("click", function (event) {
    const button = event.target.closest("button.ack-button");
    if (!button) {
      return;
    }
    button.disabled = true;
    const url = "/api/warnings/" + encodeURIComponent(button.dataset.warning) + "/acknowledge";
    cr.live.postJson(url, {}, data.csrfToken).then(function (result) {
      if (result.ok) {
        say(texts.acknowledged, "ok");
      } else {
        button.disabled = false;
        say(cr.live.problemText(result, texts), "error");
      }
      refresh();
    });
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const submit = form.querySelector("button[type=submit]");
      const body = {
        recipient: form.elements.recipient.value,
        level: Number(form.elements.level.value),
      };
      body[data.instructionsField] = form.elements.instructions.value;
      submit.disabled = true;
      cr.live.postJson(data.issueUrl, body, data.csrfToken)
        .then(function (result) {
          if (result.ok) {
            form.elements.instructions.value = "";
            say(texts.issued, "ok");
            refresh();
          } else {
            say(cr.live.problemText(result, texts), "error");
          }
        })
        .catch(function () {
          say(texts.failed, "error");
        })
        .finally(function () {
          submit.disabled = false;
        });
    });
  }

  cr.live.follow({
    after: data.after,
    indicator: document.getElementById("live-status"),
    texts: texts,
    onEvent: function (event) {
      if (event.action.indexOf("warning.") === 0 && event.risk_id === data.riskId) {
        refresh();
      }
    },
  });
})();
