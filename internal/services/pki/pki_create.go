package pki

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// createPKIOnce creates the PKI exactly once, through graph.WriteOnce. It lists the PKIs of that name first; when
// Graph's answer to the create is lost (or is a 5xx) the PKI may exist already, so before creating again the
// protocol looks for a PKI of that name that was not there before: exactly one is adopted, several are a diagnostic
// that says what to import, none means the create did not happen and it is sent again. Should the first one show up
// after a second create, the second is deleted and the first kept.
func createPKIOnce(ctx context.Context, c *clients.Client, name string, deadline time.Time) (*graph.PKI, error) {
	g := c.Graph
	before, err := g.ListPKIs(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("listing the PKIs named %q before creating one: %w", name, err)
	}
	existed := map[string]bool{}
	for _, p := range before {
		existed[strings.ToLower(p.ID)] = true
	}
	newOnes := func(ctx context.Context, except string) ([]graph.PKI, error) {
		found, err := g.ListPKIs(ctx, name)
		if err != nil {
			return nil, err
		}
		var out []graph.PKI
		for _, p := range found {
			if !existed[strings.ToLower(p.ID)] && !strings.EqualFold(p.ID, except) {
				out = append(out, p)
			}
		}
		return out, nil
	}
	res, err := graph.WriteOnce[*graph.PKI]{
		What:      fmt.Sprintf("PKI %q", name),
		LogFields: map[string]any{"display_name": name},
		Send:      func(ctx context.Context) (*graph.PKI, error) { return g.CreatePKI(ctx, name) },
		Look: func(ctx context.Context) (*graph.PKI, bool, error) {
			matches, err := newOnes(ctx, "")
			switch {
			case err != nil || len(matches) == 0:
				return nil, false, err
			case len(matches) == 1:
				return &matches[0], true, nil
			}
			ids := make([]string, 0, len(matches))
			for _, m := range matches {
				ids = append(ids, m.ID)
			}
			return nil, false, &detailedError{path.Root("display_name"), "Cannot tell which PKI the create made",
				fmt.Sprintf("Graph's answer to creating PKI %q was lost, and %d new PKIs now have that name: %s. Nothing more "+
					"was created. Import the one this configuration means (terraform import <address> <id>) and delete "+
					"the others in the Entra admin center.", name, len(matches), strings.Join(ids, ", "))}
		},
		Deadline: deadline,
	}.Run(ctx, c.Clock)
	if err != nil {
		return nil, err
	}
	if res.Outcome == graph.WriteAnswered && res.Writes > 1 {
		return keepFirstCreated(ctx, c, res.Value, newOnes), nil
	}
	return res.Value, nil
}

// keepFirstCreated runs after a second create: when the first (lost) create's PKI has shown up meanwhile, the one
// just made is deleted and the first kept, so one PKI results.
func keepFirstCreated(ctx context.Context, c *clients.Client, second *graph.PKI, newOnes func(context.Context, string) ([]graph.PKI, error)) *graph.PKI {
	first, err := newOnes(ctx, second.ID)
	if err != nil || len(first) != 1 {
		return second
	}
	if err := c.Graph.DeletePKI(ctx, second.ID); err != nil {
		tflog.Warn(ctx, "The first create's PKI appeared late; deleting the second one failed", map[string]any{
			"pki_id": first[0].ID, "second_pki_id": second.ID, "error": err.Error()})
		return second
	}
	tflog.Warn(ctx, "The first create's PKI appeared late; keeping it and deleting the second one",
		map[string]any{"pki_id": first[0].ID, "second_pki_id": second.ID})
	return &first[0]
}

// waitPKIGone waits until the deleted PKI is not found (a read right after a delete may still find it).
func waitPKIGone(ctx context.Context, c *clients.Client, id string, deadline time.Time) error {
	return graph.Wait(ctx, c.Clock, graph.WaitOptions{What: "deletion of PKI " + id, Deadline: deadline,
		LogFields: map[string]any{"pki_id": id}}, func(ctx context.Context) (bool, error) {
		_, err := c.Graph.GetPKI(ctx, id)
		if graph.IsNotFound(err) {
			return true, nil
		}
		return false, err
	})
}
