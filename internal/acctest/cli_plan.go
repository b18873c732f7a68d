package acctest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// PlanImportsOnly runs `terraform plan` in the CLI's directory and fails the test unless the plan imports exactly
// want resources and does nothing else: the summary line reads "Plan: {want} to import, 0 to add, 0 to change, 0 to
// destroy.", and in the saved plan every resource change is a no-op import. It returns the plan's output and the
// imported addresses.
func (c *CLI) PlanImportsOnly(t *testing.T, want int) (string, []string) {
	t.Helper()
	out := c.MustRun(t, "plan", "-no-color", "-input=false", "-out=tfplan")
	summary := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", want)
	if !strings.Contains(out, summary) {
		t.Fatalf("the plan does not say %q:\n%s", summary, out)
	}
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string `json:"actions"`
				Importing *struct {
					ID       string         `json:"id"`
					Identity map[string]any `json:"identity"`
				} `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	show := c.MustRun(t, "show", "-json", "tfplan")
	if err := json.Unmarshal([]byte(show), &plan); err != nil {
		t.Fatalf("terraform show -json tfplan: %v\n%s", err, show)
	}
	var imported []string
	for _, rc := range plan.ResourceChanges {
		if !slices.Equal(rc.Change.Actions, []string{"no-op"}) || rc.Change.Importing == nil {
			t.Errorf("%s: actions %v, importing %v; want a no-op import", rc.Address, rc.Change.Actions, rc.Change.Importing != nil)
			continue
		}
		imported = append(imported, rc.Address)
	}
	if len(imported) != want {
		t.Errorf("the plan imports %d resources (%v), want %d", len(imported), imported, want)
	}
	return out, imported
}

// ApplyThenPlanEmpty applies the plan PlanImportsOnly saved, then fails the test unless the next plan has no changes.
func (c *CLI) ApplyThenPlanEmpty(t *testing.T) {
	t.Helper()
	c.MustRun(t, "apply", "-no-color", "-input=false", "tfplan")
	out, err := c.Run(t, "plan", "-no-color", "-input=false", "-detailed-exitcode")
	if err != nil || !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after importing is not empty (%v):\n%s", err, out)
	}
}
