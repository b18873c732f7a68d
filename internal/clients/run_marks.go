package clients

import "sync"

// RunMarks is a set of keys marked during this provider instance's run, e.g. "this singleton was written in this
// run". Terraform configures a provider instance per plan or apply walk, so a mark lasts one walk: both halves of a
// replacement (the new object's create and the deposed object's destroy) see it. The zero value is ready to use and
// it is safe for concurrent use.
type RunMarks struct {
	mu    sync.Mutex
	marks map[string]bool
}

// Mark sets key.
func (m *RunMarks) Mark(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.marks == nil {
		m.marks = map[string]bool{}
	}
	m.marks[key] = true
}

// Marked reports whether key was set in this run.
func (m *RunMarks) Marked(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.marks[key]
}
