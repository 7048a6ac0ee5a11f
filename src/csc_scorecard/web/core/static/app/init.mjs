// GOV.UK Frontend's components (skip link, service navigation toggle, error summary).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
