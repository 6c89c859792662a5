/**
 * The version of the progress projection's code. Raise it with any change to how events become
 * documents: a service that starts with a newer version than the live read models' rebuilds them
 * beside the live ones and switches when caught up.
 */
export const PROGRESS_PROJECTION_VERSION = 2;

/** The read models' projection, as admins name it (`POST /admin/projections/progress/rebuild`). */
export const PROGRESS_PROJECTION = 'progress';
