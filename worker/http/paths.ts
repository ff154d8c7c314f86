// The worker's HTTP paths, in one place: the server routes on them, the dashboard mounts under its
// own, and deployment files (probes, scrapers) name them.
export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";
export const METRICS_PATH = "/metrics";
export const DASHBOARD_PATH = "/dashboard";
