package graph_test

import (
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// WaitForAPIConnector rides out a replica lag inside its window (in any letter case of the ID), and believes a
// 404 that lasts past it.
func TestWaitForAPIConnector(t *testing.T) {
	v := newEnv(t)
	v.emu.SetReadAfterWriteLag(10 * time.Second)
	a := v.createConnector(t, "lagging")
	start := v.clock.Now()
	got, err := v.client.WaitForAPIConnector(ctxTimeout(t, 10*time.Second), strings.ToUpper(a.ID), start.Add(graph.APIConnectorVisibleWindow))
	if err != nil || got.ID != a.ID {
		t.Fatalf("WaitForAPIConnector = %v, %v; want connector %s", got, err, a.ID)
	}
	if waited := v.clock.Now().Sub(start); waited < 10*time.Second || waited > graph.APIConnectorVisibleWindow {
		t.Errorf("waited %s, want between the lag (10s) and the window", waited)
	}

	start = v.clock.Now()
	_, err = v.client.WaitForAPIConnector(ctxTimeout(t, 10*time.Second), "d915cc77-0000-4000-8000-000000000001", start.Add(graph.APIConnectorVisibleWindow))
	if !graph.IsNotFound(err) {
		t.Fatalf("missing connector: err %v, want a 404", err)
	}
	if waited := v.clock.Now().Sub(start); waited < graph.APIConnectorVisibleWindow {
		t.Errorf("believed the 404 after %s, want %s", waited, graph.APIConnectorVisibleWindow)
	}
}
