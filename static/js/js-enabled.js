// Loaded synchronously at the start of <body> so GOV.UK Frontend styles for
// JavaScript-enabled pages apply before first paint. A file, not an inline
// script, because the Content-Security-Policy forbids inline scripts.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
