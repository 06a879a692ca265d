// The API reference: Swagger UI over the generated schema, from vendored files (no CDN).
(function () {
  "use strict";
  var root = document.getElementById("api-reference");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: true,
    // The site's own session may try requests; the CSRF token comes from the page.
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = root.getAttribute("data-csrf-token");
      return request;
    },
  });
})();
