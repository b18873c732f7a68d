package apiconnector

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/services/common/resourcetest"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// Read on a 404, from a state without identity (Terraform before 1.12): the certificate leaves the state cleanly,
// with its identity set in canonical case (the framework fails a Read without one), and nothing is written to Graph.
// Runs with no terraform binary, so it holds on every Terraform version.
func TestCertificateReadOn404RemovesItWithIdentity(t *testing.T) {
	c, emu := resourcetest.Client(t, graphemu.Options{})
	r := &certificateResource{client: c}
	conn, err := c.Graph.CreateAPIConnector(t.Context(), graph.NewAPIConnector{
		DisplayName: "read-404", TargetURL: "https://api.contoso.example/", Username: "u", Password: "basic-Pa55"})
	if err != nil {
		t.Fatal(err)
	}
	for name, connectorID := range map[string]string{
		"connector gone":        "d915cc77-0000-4000-8000-000000000001", // Graph has no such connector
		"certificate not on it": conn.ID,                                // the connector lists no certificate
	} {
		t.Run(name, func(t *testing.T) {
			resp := resourcetest.ReadWithNullIdentity(t, r, map[string]string{
				"api_connector_id": strings.ToUpper(connectorID), "thumbprint": strings.ToLower(testfixtures.ClientThumbprint),
				"id": strings.ToUpper(connectorID) + "/" + testfixtures.ClientThumbprint,
			})
			resourcetest.RequireRemovedWithIdentity(t, resp, map[string]string{
				"api_connector_id": connectorID, "thumbprint": testfixtures.ClientThumbprint})
		})
	}
	if n := emu.Count("POST", "") + emu.Count("PATCH", ""); n != 1 { // the connector's creation only
		t.Errorf("%d writes to Graph, want only the connector's creation", n)
	}
}
