// Marks the page as having JavaScript, so GOV.UK Frontend's components enhance it.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
