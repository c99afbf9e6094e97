// "Select all" on django-import-export's export page. The library wires the checkbox with an
// inline onchange="" attribute, which the Content-Security-Policy rightly blocks; this file does
// the same from a script of the site's own origin.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.id = toggle.id || "select-all-toggle";
    toggle.addEventListener("change", () => {
      document
        .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
        .forEach((checkbox) => {
          checkbox.checked = toggle.checked;
        });
    });
  });
});
