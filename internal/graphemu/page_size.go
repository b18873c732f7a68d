package graphemu

// SetPageSize makes lists answer at most n items a page when the request has no $top (0: Graph's 100), so tests and
// users' CI can see a client follow @odata.nextLink with a handful of objects.
func (e *Emulator) SetPageSize(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pageSize = max(n, 0)
}

func (e *Emulator) listPageSize() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pageSize
}
