// Runs first in <body>: marks the page as having JavaScript (GOV.UK Frontend's styles key off these classes).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
