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

// createPKIOnce creates the PKI exactly once. When Graph's answer is lost the PKI may exist already, so before
// creating again it looks for it by display name (waiting out Entra's replication lag): exactly one match is
// adopted, several are a diagnostic that says what to import, none (after the window) means the create did not
// happen and it is sent once more.
func createPKIOnce(ctx context.Context, c *clients.Client, name string, deadline time.Time) (*graph.PKI, error) {
	g, clk := c.Graph, c.Clock
	for attempt := 1; ; attempt++ {
		p, err := g.CreatePKI(ctx, name)
		if err == nil {
			return p, nil
		}
		if !graph.IsOutcomeUnknown(err) || attempt > 1 {
			return nil, err
		}
		tflog.Warn(ctx, "The answer to the PKI create was lost; looking for the PKI by name before creating it again",
			map[string]any{"display_name": name, "error": err.Error()})
		var matches []graph.PKI
		werr := graph.Wait(ctx, clk, graph.WaitOptions{What: fmt.Sprintf("PKI %q after a lost create answer", name),
			Deadline: minTime(clk.Now().Add(graph.PKIVisibleWindow), deadline), FirstLook: time.Second},
			func(ctx context.Context) (bool, error) {
				found, err := g.ListPKIs(ctx, name)
				if err != nil {
					return false, err
				}
				matches = found
				return len(found) > 0, nil
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
				fmt.Sprintf("Graph's answer to creating PKI %q was lost, and %d PKIs now have that name: %s. Nothing more "+
					"was created. Import the one this configuration means (terraform import <address> <id>) and delete "+
					"the others in the Entra admin center.", name, len(matches), strings.Join(ids, ", "))}
		}
	}
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
