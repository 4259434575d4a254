/* The new-request form: when the committee chooses the city it asks for, each line's
   destination point becomes that city's own, unless the officer typed another. Without
   this script a blank point is the city's own anyway (the server fills it). */
(function () {
  "use strict";

  const data = document.getElementById("page-data");
  const city = document.getElementById("req-city");
  if (!data || !city || city.tagName !== "SELECT") {
    return;
  }
  const points = JSON.parse(data.textContent).points || {};
  let shown = points[city.value];

  function fill() {
    const point = points[city.value];
    if (!point) {
      return;
    }
    document.querySelectorAll("fieldset.req-line").forEach(function (line) {
      const lon = line.querySelector("input[name='lon']");
      const lat = line.querySelector("input[name='lat']");
      // Only a point left blank or still the previous city's is replaced.
      const untouched = !lon.value || (shown && lon.value === String(shown[0]) && lat.value === String(shown[1]));
      if (untouched) {
        lon.value = point[0];
        lat.value = point[1];
      }
    });
    shown = point;
  }

  city.addEventListener("change", fill);
  fill();
})();
