/* The warning inbox: refreshed as warning events arrive; the recipient acknowledges here. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const panel = document.getElementById("warning-inbox-panel");
  if (!panel) {
    return;
  }

  cr.warningTable({
    container: panel,
    message: document.getElementById("inbox-message"),
    tableUrl: data.tableUrl,
    tableId: "warning-inbox",
    after: data.after,
    csrfToken: data.csrfToken,
    texts: data.texts,
  });
})();
