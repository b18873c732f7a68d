package provider

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fakeEnviron is an environment and a file system for resolveSettings.
func fakeEnviron(vars map[string]string, files map[string]string) environ {
	return environ{
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, errors.New("no such file")
		},
	}
}

func TestCloudsAndAliases(t *testing.T) {
	cases := []struct {
		name, canonical, graph, authority, scope string
	}{
		{"", clients.CloudPublic, "https://graph.microsoft.com", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default"},
		{"public", clients.CloudPublic, "https://graph.microsoft.com", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default"},
		{"Global", clients.CloudPublic, "https://graph.microsoft.com", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default"},
		{"usgovernmentl4", clients.CloudUSGovernmentL4, "https://graph.microsoft.us", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default"},
		{"USGovernment", clients.CloudUSGovernmentL4, "https://graph.microsoft.us", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default"},
		{"usgovernmentl5", clients.CloudUSGovernmentL5, "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/.default"},
		{"DoD", clients.CloudUSGovernmentL5, "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/.default"},
		{"CHINA", clients.CloudChina, "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/.default"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, diags := resolveSettings(providerModel{Environment: types.StringValue(c.name)}, fakeEnviron(nil, nil))
			if diags.HasError() {
				t.Fatalf("unexpected error: %v", diags)
			}
			if s.Cloud.Name != c.canonical || s.GraphEndpoint != c.graph || s.Cloud.Authority != c.authority || s.Cloud.Scope() != c.scope {
				t.Errorf("got %+v endpoint %s scope %s", s.Cloud, s.GraphEndpoint, s.Cloud.Scope())
			}
		})
	}
}

func TestUnknownEnvironmentListsValidNames(t *testing.T) {
	_, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{"ARM_ENVIRONMENT": "mars"}, nil))
	if !diags.HasError() {
		t.Fatal("expected an error")
	}
	d := diags.Errors()[0].Detail()
	for _, want := range []string{`"mars"`, "public", "usgovernmentl4", "usgovernmentl5", "china", "global", "usgovernment", "dod"} {
		if !strings.Contains(d, want) {
			t.Errorf("detail %q does not name %s", d, want)
		}
	}
}

func TestEnvironmentVariablesAndPrecedence(t *testing.T) {
	vars := map[string]string{
		"ARM_ENVIRONMENT":                 "china",
		"ARM_TENANT_ID":                   "tenant-env",
		"ARM_CLIENT_ID":                   "client-env",
		"ARM_CLIENT_SECRET":               "secret-env",
		"ARM_CLIENT_CERTIFICATE":          base64.StdEncoding.EncodeToString([]byte("pfx-env")),
		"ARM_CLIENT_CERTIFICATE_PASSWORD": "pfxpass-env",
		"ARM_USE_OIDC":                    "true",
		"ARM_OIDC_TOKEN":                  "oidc-env",
		"ARM_OIDC_TOKEN_FILE_PATH":        "/oidc-env",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN":  "gh-token",
		"ACTIONS_ID_TOKEN_REQUEST_URL":    "https://gh.example/token",
		"ARM_USE_MSI":                     "true",
		"ARM_USE_CLI":                     "false",
		"ARM_ACCESS_TOKEN":                "access-env",
		"ARM_GRAPH_ENDPOINT":              "http://127.0.0.1:8080/",
	}
	s, diags := resolveSettings(providerModel{}, fakeEnviron(vars, nil))
	if diags.HasError() {
		t.Fatalf("unexpected: %v", diags)
	}
	want := settings{
		Cloud: clouds[clients.CloudChina], GraphEndpoint: "http://127.0.0.1:8080",
		TenantID: "tenant-env", ClientID: "client-env", ClientSecret: "secret-env",
		ClientCertificate: []byte("pfx-env"), ClientCertificatePassword: "pfxpass-env",
		UseOIDC: true, OIDCToken: "oidc-env", OIDCTokenFilePath: "/oidc-env",
		OIDCRequestToken: "gh-token", OIDCRequestURL: "https://gh.example/token",
		UseMSI: true, UseCLI: false, AccessToken: "access-env",
	}
	if got := s; got.Cloud != want.Cloud || got.GraphEndpoint != want.GraphEndpoint || got.TenantID != want.TenantID ||
		got.ClientID != want.ClientID || got.ClientSecret != want.ClientSecret || string(got.ClientCertificate) != "pfx-env" ||
		got.ClientCertificatePassword != want.ClientCertificatePassword || got.UseOIDC != want.UseOIDC ||
		got.OIDCToken != want.OIDCToken || got.OIDCTokenFilePath != want.OIDCTokenFilePath ||
		got.OIDCRequestToken != want.OIDCRequestToken || got.OIDCRequestURL != want.OIDCRequestURL ||
		got.UseMSI != want.UseMSI || got.UseCLI != want.UseCLI || got.AccessToken != want.AccessToken {
		t.Errorf("from environment:\n got %+v\nwant %+v", got, want)
	}

	// ARM_OIDC_REQUEST_* win over the GitHub Actions variables.
	vars["ARM_OIDC_REQUEST_TOKEN"], vars["ARM_OIDC_REQUEST_URL"] = "arm-token", "https://arm.example/token"
	s, _ = resolveSettings(providerModel{}, fakeEnviron(vars, nil))
	if s.OIDCRequestToken != "arm-token" || s.OIDCRequestURL != "https://arm.example/token" {
		t.Errorf("ARM_OIDC_REQUEST_* should win: %q %q", s.OIDCRequestToken, s.OIDCRequestURL)
	}

	// Attributes win over the environment.
	m := providerModel{
		Environment: types.StringValue("public"), TenantID: types.StringValue("tenant-attr"),
		ClientID: types.StringValue("client-attr"), ClientSecret: types.StringValue("secret-attr"),
		ClientCertificate:         types.StringValue(base64.StdEncoding.EncodeToString([]byte("pfx-attr"))),
		ClientCertificatePassword: types.StringValue("pfxpass-attr"),
		UseOIDC:                   types.BoolValue(false), OIDCToken: types.StringValue("oidc-attr"),
		OIDCTokenFilePath: types.StringValue("/oidc-attr"), OIDCRequestToken: types.StringValue("req-attr"),
		OIDCRequestURL: types.StringValue("https://attr.example/token"), UseMSI: types.BoolValue(false),
		UseCLI: types.BoolValue(true), AccessToken: types.StringValue("access-attr"),
		GraphEndpoint: types.StringValue("https://graph.example.com"),
	}
	s, diags = resolveSettings(m, fakeEnviron(vars, nil))
	if diags.HasError() {
		t.Fatalf("unexpected: %v", diags)
	}
	if s.Cloud.Name != clients.CloudPublic || s.TenantID != "tenant-attr" || s.ClientID != "client-attr" ||
		s.ClientSecret != "secret-attr" || string(s.ClientCertificate) != "pfx-attr" || s.ClientCertificatePassword != "pfxpass-attr" ||
		s.UseOIDC || s.OIDCToken != "oidc-attr" || s.OIDCTokenFilePath != "/oidc-attr" || s.OIDCRequestToken != "req-attr" ||
		s.OIDCRequestURL != "https://attr.example/token" || s.UseMSI || !s.UseCLI || s.AccessToken != "access-attr" ||
		s.GraphEndpoint != "https://graph.example.com" {
		t.Errorf("attributes should win: %+v", s)
	}
}

func TestUseCLIDefaultsToTrueAndBadBooleanIsAnError(t *testing.T) {
	s, _ := resolveSettings(providerModel{}, fakeEnviron(nil, nil))
	if !s.UseCLI || s.UseMSI || s.UseOIDC {
		t.Errorf("defaults: use_cli=%v use_msi=%v use_oidc=%v", s.UseCLI, s.UseMSI, s.UseOIDC)
	}
	_, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{"ARM_USE_MSI": "yes please"}, nil))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "ARM_USE_MSI") {
		t.Errorf("expected an error naming ARM_USE_MSI, got %v", diags)
	}
}

func TestFilePaths(t *testing.T) {
	files := map[string]string{"/id": "client-file\n", "/secret": " secret-file \n", "/sp.pfx": "pfx-bytes"}
	s, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{
		"ARM_CLIENT_ID_FILE_PATH": "/id", "ARM_CLIENT_SECRET_FILE_PATH": "/secret", "ARM_CLIENT_CERTIFICATE_PATH": "/sp.pfx",
	}, files))
	if diags.HasError() {
		t.Fatalf("unexpected: %v", diags)
	}
	if s.ClientID != "client-file" || s.ClientSecret != "secret-file" || string(s.ClientCertificate) != "pfx-bytes" {
		t.Errorf("from files: %+v", s)
	}

	// Same value twice is fine; different values are an error naming the file attribute.
	_, diags = resolveSettings(providerModel{ClientID: types.StringValue("client-file"), ClientIDFilePath: types.StringValue("/id")}, fakeEnviron(nil, files))
	if diags.HasError() {
		t.Errorf("same client id twice should be accepted: %v", diags)
	}
	_, diags = resolveSettings(providerModel{ClientID: types.StringValue("other"), ClientIDFilePath: types.StringValue("/id")}, fakeEnviron(nil, files))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "client_id") {
		t.Errorf("different client ids should be an error: %v", diags)
	}
	_, diags = resolveSettings(providerModel{ClientSecretFilePath: types.StringValue("/missing")}, fakeEnviron(nil, files))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), "client_secret_file_path") {
		t.Errorf("unreadable file should be an error naming the attribute: %v", diags)
	}
	_, diags = resolveSettings(providerModel{ClientCertificate: types.StringValue("%%%")}, fakeEnviron(nil, files))
	if !diags.HasError() {
		t.Error("bad base64 client_certificate should be an error")
	}
}

func TestGraphEndpoint(t *testing.T) {
	ok := map[string]string{
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://127.0.0.2:9/":          "http://127.0.0.2:9",
		"http://localhost:8080":        "http://localhost:8080",
		"http://[::1]:8080":            "http://[::1]:8080",
		"https://graph.contoso.com/":   "https://graph.contoso.com",
		"https://proxy.example/graph/": "https://proxy.example/graph",
	}
	for in, want := range ok {
		got, err := checkGraphEndpoint(in)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"http://graph.contoso.com":         "loopback",
		"http://10.0.0.1:8080":             "loopback",
		"http://127.example.com":           "loopback",
		"ftp://127.0.0.1":                  "http(s)",
		"graph.microsoft.com":              "http(s)",
		"https://graph.microsoft.com/v1.0": "without /v1.0",
	}
	for in, want := range bad {
		_, err := checkGraphEndpoint(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error saying %q", in, err, want)
		}
	}
	_, diags := resolveSettings(providerModel{GraphEndpoint: types.StringValue("http://graph.contoso.com")}, fakeEnviron(nil, nil))
	if !diags.HasError() || diags.Errors()[0].Summary() != "Invalid graph_endpoint" {
		t.Errorf("expected a graph_endpoint error, got %v", diags)
	}
}

// An endpoint with user info is refused, and no check repeats the value (it may hold a password).
func TestGraphEndpointUserInfoNeverEchoed(t *testing.T) {
	const secret = "Sup3r-secret"
	for _, in := range []string{"https://user:" + secret + "@graph.contoso.com", "ftp://u:" + secret + "@h", "https://u:" + secret + "@h/v1.0"} {
		_, err := checkGraphEndpoint(in)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: err %v, want an error without the password", in, err)
		}
	}
	_, diags := resolveSettings(providerModel{GraphEndpoint: types.StringValue("https://user:" + secret + "@graph.contoso.com")}, fakeEnviron(nil, nil))
	if !diags.HasError() || strings.Contains(fmt.Sprint(diags), secret) || !strings.Contains(diags.Errors()[0].Detail(), "user information") {
		t.Errorf("diagnostics %v", diags)
	}
}
