// Starts Swagger UI on the API docs page (the packaged bundle; no inline script, no CDN).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.spec, dom_id: "#swagger-ui" });
});
