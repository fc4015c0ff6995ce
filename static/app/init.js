// GOV.UK Frontend's components (service navigation menu toggle, error summary focus, buttons...).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
