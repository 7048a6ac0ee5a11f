"""Background tasks as the user sees them: progress and result of an upload, recompute or report."""
