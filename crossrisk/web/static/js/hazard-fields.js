/* Hazard type and model parameters: offer only the types of the chosen category and show
   only the chosen type's parameters. Without this script every type and every model's
   parameters are on the form, and the server reads the ones the chosen type uses. */
(function () {
  "use strict";
  const DEFAULT_TYPE = "area";

  function setUp(form) {
    const type = form.querySelector("select.hazard-type");
    if (!type) {
      return;
    }
    const category = form.querySelector("select[name=category]");
    const groups = form.querySelectorAll("fieldset.parameters");

    function fits(option) {
      const chosen = category ? category.value : "";
      const categories = option.dataset.categories ? option.dataset.categories.split(" ") : [];
      return !chosen || categories.length === 0 || categories.indexOf(chosen) >= 0;
    }

    function filterTypes() {
      Array.prototype.forEach.call(type.options, function (option) {
        const allowed = fits(option);
        option.hidden = !allowed;
        option.disabled = !allowed;
      });
      if (type.selectedIndex < 0 || type.options[type.selectedIndex].disabled) {
        type.value = DEFAULT_TYPE;
      }
    }

    function showParameters() {
      const option = type.options[type.selectedIndex];
      const pathway = option ? option.dataset.pathway : "";
      groups.forEach(function (group) {
        const used = group.dataset.pathway === pathway;
        group.hidden = !used;
        // A disabled fieldset is neither validated nor sent: only the used model's values go.
        group.disabled = !used;
      });
    }

    if (category) {
      category.addEventListener("change", function () {
        filterTypes();
        showParameters();
      });
    }
    type.addEventListener("change", showParameters);
    filterTypes();
    showParameters();
  }

  document.querySelectorAll("form[data-hazard-fields]").forEach(setUp);
})();
