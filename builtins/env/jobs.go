package env

// JobTracker follows the asynchronous jobs a run submits (CloudStack's), so
// an interrupted run can name them and a resumed one re-attach to them
// instead of submitting the same work again. builtins/journal implements it.
type JobTracker interface {
	// Submitted records a job the server accepted; entity is the id of the
	// resource it works on ("" when the server gave none).
	Submitted(id, command, entity string)
	// Ended records that the job finished (succeeded, failed or was
	// cancelled): nothing is left to re-attach to.
	Ended(id string)
	// Pending returns the id of a job for command that a previous run left
	// running in the current step, once: the caller waits on it instead of
	// submitting a new one.
	Pending(command string) (id, entity string, ok bool)
}
