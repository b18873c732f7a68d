package clients

import (
	"sync"
	"testing"
)

func TestPlannedCAs(t *testing.T) {
	var p PlannedCAs
	if p.Has("AB") {
		t.Fatal("the zero registry holds a CA")
	}
	var wg sync.WaitGroup
	for _, ski := range []string{"ab12", "CD34", ""} {
		wg.Add(1)
		go func(ski string) {
			defer wg.Done()
			p.Add("", ski)
		}(ski)
	}
	wg.Wait()
	if !p.Has("AB12") || !p.Has("cd34") || p.Has("") || p.Has("EF56") {
		t.Errorf("registry %v", p.skis)
	}
}

func TestRunMarks(t *testing.T) {
	var m RunMarks
	if m.Marked("x") {
		t.Fatal("the zero set holds a mark")
	}
	m.Mark("x")
	if !m.Marked("x") || m.Marked("y") {
		t.Errorf("marks %v", m.marks)
	}
}
