package graph_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// rawConnectorClient is a client whose every GET of a connector is answered with body.
func rawConnectorClient(t *testing.T, body string) *graph.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken(testToken), Clock: newRecordingClock()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// An authentication type the provider does not know, or a connector without id, is an error, never a connector
// without certificates (which Read would take for "the certificate is gone").
func TestConnectorAnswersThatCannotBeReadAreErrors(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"unknown authentication type": {
			body: `{"id":"c1","displayName":"x","targetUrl":"https://x","authenticationConfiguration":{"@odata.type":"#microsoft.graph.futureAuthentication","thing":1}}`,
			want: `type "#microsoft.graph.futureAuthentication"`,
		},
		"no id": {
			body: `{"displayName":"x","targetUrl":"https://x","authenticationConfiguration":{"@odata.type":"#microsoft.graph.basicAuthentication","username":"u"}}`,
			want: "without id",
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := rawConnectorClient(t, tc.body)
			conn, err := c.GetAPIConnector(ctxTimeout(t, 10*time.Second), "c1")
			var ue *graph.UnexpectedAnswerError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %+v, %v; want an UnexpectedAnswerError mentioning %q", conn, err, tc.want)
			}
			if graph.IsNotFound(err) || graph.IsTransient(err) {
				t.Errorf("classified as not found or transient: %v", err)
			}
		})
	}
}

// A thumbprint listed twice is one certificate, and the active entry is the one that counts.
func TestDuplicateThumbprintActiveEntryWins(t *testing.T) {
	const tp = "D8056BBADB0367909DAF53E40C556BB79FFB8779"
	c := rawConnectorClient(t, `{"id":"c1","displayName":"x","targetUrl":"https://x","authenticationConfiguration":{
		"@odata.type":"#microsoft.graph.clientCertificateAuthentication","certificateList":[
		{"thumbprint":"d8056bbadb0367909daf53e40c556bb79ffb8779","notBefore":1700000000,"notAfter":1800000000,"isActive":false},
		{"thumbprint":"0000000000000000000000000000000000000001","notBefore":1700000000,"notAfter":1800000000,"isActive":false},
		{"thumbprint":"D8056BBADB0367909DAF53E40C556BB79FFB8779","notBefore":1700000001,"notAfter":1800000001,"isActive":true}]}}`)
	conn, err := c.GetAPIConnector(ctxTimeout(t, 10*time.Second), "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(conn.Certificates) != 2 {
		t.Fatalf("certificates %+v, want 2 entries", conn.Certificates)
	}
	got := conn.Certificates[0]
	if got.Thumbprint != tp || !got.IsActive || got.NotBefore.Unix() != 1700000001 {
		t.Errorf("first entry %+v, want the active duplicate of %s", got, tp)
	}
	if conn.AuthenticationType != graph.AuthenticationCertificate {
		t.Errorf("authentication type %q", conn.AuthenticationType)
	}
}
