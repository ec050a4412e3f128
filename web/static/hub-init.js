// Progressive enhancement only: every page works without this (GOV.UK components' JavaScript).
import { initAll } from "./govuk/govuk-frontend.min.js";
initAll();
