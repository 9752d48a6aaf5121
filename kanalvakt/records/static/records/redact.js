// Selecting text in a message on the review screen fills that message's
// "text to redact" field. No inline script: CSP allows only files from 'self'.
document.addEventListener("mouseup", function () {
  var selection = window.getSelection();
  if (!selection || selection.isCollapsed) return;
  var node = selection.anchorNode;
  var element = node && (node.nodeType === 1 ? node : node.parentElement);
  var source = element && element.closest("[data-redact-source]");
  if (!source) return;
  var field = document.getElementById("id_" + source.getAttribute("data-redact-source"));
  if (field) { field.value = selection.toString(); field.focus(); }
});
