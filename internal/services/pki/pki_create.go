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

// createLookWindow bounds the look for a PKI whose create answer was lost (or a 5xx) before creating again: Entra
// shows a new object within seconds as a rule (graph.PKIVisibleWindow is the bound for reading one known id).
const createLookWindow = 30 * time.Second

// createPKIOnce creates the PKI exactly once. It lists the PKIs of that name first; when Graph's answer to the
// create is lost (or is a 5xx) the PKI may exist already, so before creating again it looks, at once and on the
// Graph layer's wait schedule for up to createLookWindow, for a PKI of that name that was not there before: exactly
// one is adopted, several are a diagnostic that says what to import, none means the create did not happen and it is
// sent once more. Should the first one show up after all, the second is deleted and the first kept.
func createPKIOnce(ctx context.Context, c *clients.Client, name string, deadline time.Time) (*graph.PKI, error) {
	g, clk := c.Graph, c.Clock
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
	for attempt := 1; ; attempt++ {
		p, err := g.CreatePKI(ctx, name)
		if err == nil {
			if attempt > 1 {
				return keepFirstCreated(ctx, c, p, newOnes), nil
			}
			return p, nil
		}
		if !graph.IsOutcomeUnknown(err) || attempt > 1 {
			return nil, err
		}
		tflog.Warn(ctx, "The answer to the PKI create was lost; looking for the PKI by name before creating it again",
			map[string]any{"display_name": name, "error": err.Error()})
		var matches []graph.PKI
		werr := graph.Wait(ctx, clk, graph.WaitOptions{What: fmt.Sprintf("PKI %q after a lost create answer", name),
			Deadline: minTime(clk.Now().Add(createLookWindow), deadline)},
			func(ctx context.Context) (bool, error) {
				found, err := newOnes(ctx, "")
				matches = found
				return len(found) > 0, err
			})
		if werr != nil && !graph.IsWaitTimeout(werr) {
			return nil, fmt.Errorf("looking for PKI %q after its create answer was lost (%s): %w", name, err.Error(), werr)
		}
		switch len(matches) {
		case 0:
			continue // the create did not happen
		case 1:
			tflog.Info(ctx, "Adopting the PKI the lost create made", map[string]any{"pki_id": matches[0].ID})
			return &matches[0], nil
		default:
			ids := make([]string, 0, len(matches))
			for _, m := range matches {
				ids = append(ids, m.ID)
			}
			return nil, &detailedError{path.Root("display_name"), "Cannot tell which PKI the create made",
				fmt.Sprintf("Graph's answer to creating PKI %q was lost, and %d new PKIs now have that name: %s. Nothing more "+
					"was created. Import the one this configuration means (terraform import <address> <id>) and delete "+
					"the others in the Entra admin center.", name, len(matches), strings.Join(ids, ", "))}
		}
	}
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

// waitPKIGone waits until the deleted PKI answers 404 (a read right after a delete may still find it).
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
