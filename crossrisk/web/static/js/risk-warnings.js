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
  const form = document.getElementById("warning-form");

  const table = cr.warningTable({
    container: section,
    message: document.getElementById("warnings-message"),
    tableUrl: data.tableUrl,
    tableId: "risk-warnings",
    after: data.after,
    csrfToken: data.csrfToken,
    texts: texts,
    shows: function (event) {
      return event.risk_id === data.riskId;
    },
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
            table.say(texts.issued, "ok");
            table.refresh();
          } else {
            table.say(cr.live.problemText(result, texts), "error");
          }
        })
        .catch(function () {
          table.say(texts.failed, "error");
        })
        .finally(function () {
          submit.disabled = false;
        });
    });
  }
})();
