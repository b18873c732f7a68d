package graphemu_test

// The round trip through msgraph-sdk-go itself: the SDK serialises the requests (gzip bodies included) and
// parses every answer into its models. Only this file imports the SDK (a cold compile of models takes minutes).
// It builds the adapter as msgraphsdk.NewGraphRequestAdapter and NewGraphServiceClient do (same core adapter,
// default middleware with gzip and retry, JSON factories, backing store), but from the identity and directory
// request builders: the root package would pull in every Graph API and more modules.

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoft/kiota-abstractions-go/store"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/identity"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// bearer is an authentication provider that sets a fixed token (the SDK's own providers only talk to Entra).
type bearer string

func (b bearer) AuthenticateRequest(_ context.Context, req *abs.RequestInformation, _ map[string]interface{}) error {
	req.Headers.Add("Authorization", "Bearer "+string(b))
	return nil
}

// sdkClient is what the test uses of msgraph-sdk-go's GraphServiceClient.
type sdkClient struct {
	identity  *identity.IdentityRequestBuilder
	directory *directory.DirectoryRequestBuilder
}

func (c sdkClient) Identity() *identity.IdentityRequestBuilder    { return c.identity }
func (c sdkClient) Directory() *directory.DirectoryRequestBuilder { return c.directory }

func newSDKClient(t *testing.T, baseURL, token string) sdkClient {
	t.Helper()
	absser.DefaultSerializationWriterFactoryInstance.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonSerializationWriterFactory()
	absser.DefaultParseNodeFactoryInstance.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonParseNodeFactory()
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		bearer(token), msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: "1.89.0"}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(baseURL + "/v1.0")
	adapter.EnableBackingStore(store.BackingStoreFactoryInstance)
	params := map[string]string{"baseurl": adapter.GetBaseUrl()}
	return sdkClient{
		identity:  identity.NewIdentityRequestBuilderInternal(params, adapter),
		directory: directory.NewDirectoryRequestBuilderInternal(params, adapter),
	}
}

// encodings records the Content-Encoding of each request with a body, to prove the SDK's gzip reaches the emulator.
type encodings struct {
	mu   sync.Mutex
	seen map[string]string // "METHOD path" -> Content-Encoding
}

func (e *encodings) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" || r.Method == "PATCH" {
			e.mu.Lock()
			e.seen[r.Method+" "+r.URL.Path] = r.Header.Get("Content-Encoding")
			e.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

func (e *encodings) get(key string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seen[key]
}

func odataError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v (%T) is not an ODataError", err, err)
	}
	if oe.ResponseStatusCode != status {
		t.Errorf("status %d, want %d", oe.ResponseStatusCode, status)
	}
	main := oe.GetErrorEscaped()
	if main == nil || main.GetCode() == nil || *main.GetCode() != code {
		t.Fatalf("ODataError code = %v, want %s", main, code)
	}
	if main.GetMessage() == nil || *main.GetMessage() == "" {
		t.Error("ODataError without a message")
	}
	inner := main.GetInnerError()
	if inner == nil || inner.GetRequestId() == nil || !guidRE.MatchString(*inner.GetRequestId()) || inner.GetDate() == nil {
		t.Errorf("innerError not parsed: %+v", inner)
	}
}

func TestMSGraphSDKRoundTrip(t *testing.T) {
	ctx := t.Context()
	clk := clock.NewFake(start)
	emu := graphemu.New(graphemu.Options{Token: testToken, Clock: clk, Files: fixtureFS(), UploadDuration: time.Minute})
	enc := &encodings{seen: map[string]string{}}
	srv := httptest.NewServer(enc.wrap(emu))
	defer srv.Close()

	client := newSDKClient(t, srv.URL, testToken)

	// --- API connectors ---
	conn := models.NewIdentityApiConnector()
	conn.SetDisplayName(ptr("SDK connector"))
	conn.SetTargetUrl(ptr("https://api.contoso.example/sdk"))
	basic := models.NewBasicAuthentication()
	basic.SetUsername(ptr("sdk-user"))
	basic.SetPassword(ptr("sdk-password"))
	conn.SetAuthenticationConfiguration(basic)
	created, err := client.Identity().ApiConnectors().Post(ctx, conn, nil)
	if err != nil {
		t.Fatalf("create connector: %v", err)
	}
	id := *created.GetId()
	gotBasic, ok := created.GetAuthenticationConfiguration().(*models.BasicAuthentication)
	if !ok || *gotBasic.GetUsername() != "sdk-user" || *gotBasic.GetPassword() != "******" {
		t.Fatalf("created authenticationConfiguration = %#v", created.GetAuthenticationConfiguration())
	}

	up := identity.NewApiConnectorsItemUploadClientCertificatePostRequestBody()
	up.SetPkcs12Value(ptr(testfixtures.Base64("client-aes.pfx")))
	up.SetPassword(ptr(testfixtures.Password))
	uploaded, err := client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).UploadClientCertificate().Post(ctx, up, nil)
	if err != nil {
		t.Fatalf("uploadClientCertificate: %v", err)
	}
	if got := enc.get("POST /v1.0/identity/apiConnectors/" + id + "/uploadClientCertificate"); got != "gzip" {
		t.Errorf("the SDK's upload arrived with Content-Encoding %q, want gzip", got)
	}
	leaf, err := pkcs.DecodeClientCertificate(testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	checkCerts := func(where string, c models.IdentityApiConnectorable, want []string, active string) {
		t.Helper()
		cca, ok := c.GetAuthenticationConfiguration().(*models.ClientCertificateAuthentication)
		if !ok {
			t.Fatalf("%s: authenticationConfiguration is %T, want *models.ClientCertificateAuthentication", where, c.GetAuthenticationConfiguration())
		}
		list := cca.GetCertificateList()
		if len(list) != len(want) {
			t.Fatalf("%s: %d certificates, want %d", where, len(list), len(want))
		}
		for i, info := range list {
			if *info.GetThumbprint() != want[i] {
				t.Errorf("%s: certificate %d thumbprint %s, want %s", where, i, *info.GetThumbprint(), want[i])
			}
			if got := *info.GetIsActive(); got != (want[i] == active) {
				t.Errorf("%s: certificate %d isActive %v", where, i, got)
			}
			if want[i] == testfixtures.ClientThumbprint && (*info.GetNotBefore() != leaf.NotBefore.Unix() || *info.GetNotAfter() != leaf.NotAfter.Unix()) {
				t.Errorf("%s: notBefore/notAfter %d/%d, want %d/%d", where, *info.GetNotBefore(), *info.GetNotAfter(), leaf.NotBefore.Unix(), leaf.NotAfter.Unix())
			}
		}
	}
	checkCerts("upload", uploaded, []string{testfixtures.ClientThumbprint}, testfixtures.ClientThumbprint)

	up.SetPkcs12Value(ptr(testfixtures.Base64("client-ec.pfx")))
	if _, err := client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).UploadClientCertificate().Post(ctx, up, nil); err != nil {
		t.Fatal(err)
	}
	got, err := client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkCerts("get", got, []string{testfixtures.ClientThumbprint, testfixtures.ClientECThumbprint}, testfixtures.ClientECThumbprint)

	filter := "displayName eq 'SDK connector'"
	page, err := client.Identity().ApiConnectors().Get(ctx, &identity.ApiConnectorsRequestBuilderGetRequestConfiguration{
		QueryParameters: &identity.ApiConnectorsRequestBuilderGetQueryParameters{Filter: &filter},
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := page.GetValue(); len(v) != 1 || *v[0].GetId() != id {
		t.Fatalf("filtered list = %v", v)
	}
	checkCerts("list", page.GetValue()[0], []string{testfixtures.ClientThumbprint, testfixtures.ClientECThumbprint}, testfixtures.ClientECThumbprint)

	// PATCH back to basic authentication: every certificate goes (204, the SDK returns nil).
	patch := models.NewIdentityApiConnector()
	patch.SetAuthenticationConfiguration(basic)
	if _, err := client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).Patch(ctx, patch, nil); err != nil {
		t.Fatalf("patch: %v", err)
	}
	if got := enc.get("PATCH /v1.0/identity/apiConnectors/" + id); got != "gzip" {
		t.Errorf("PATCH Content-Encoding %q", got)
	}
	got, _ = client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).Get(ctx, nil)
	if _, ok := got.GetAuthenticationConfiguration().(*models.BasicAuthentication); !ok {
		t.Errorf("after PATCH: %T", got.GetAuthenticationConfiguration())
	}

	up.SetPassword(ptr("wrong"))
	_, err = client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).UploadClientCertificate().Post(ctx, up, nil)
	odataError(t, err, 400, "BadRequest")

	if err := client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, err = client.Identity().ApiConnectors().ByIdentityApiConnectorId(id).Get(ctx, nil)
	odataError(t, err, 404, "ResourceNotFound")

	// --- PKIs ---
	pkis := client.Directory().PublicKeyInfrastructure().CertificateBasedAuthConfigurations()
	newPKI := models.NewCertificateBasedAuthPki()
	newPKI.SetDisplayName(ptr("SDK PKI"))
	pki, err := pkis.Post(ctx, newPKI, nil)
	if err != nil {
		t.Fatalf("create PKI: %v", err)
	}
	pkiID := *pki.GetId()
	if *pki.GetStatus() != "succeeded" || pki.GetStatusDetails() != nil || !pki.GetLastModifiedDateTime().Equal(start) {
		t.Errorf("created PKI: status %v, lastModified %v", *pki.GetStatus(), pki.GetLastModifiedDateTime())
	}

	upload := directory.NewPublicKeyInfrastructureCertificateBasedAuthConfigurationsItemUploadPostRequestBody()
	upload.SetUploadUrl(ptr(srv.URL + "/files/contoso-pki.p7b"))
	upload.SetSha256FileHash(ptr(testfixtures.ContosoSHA256))
	if err := pkis.ByCertificateBasedAuthPkiId(pkiID).Upload().Post(ctx, upload, nil); err != nil {
		t.Fatalf("upload: %v", err)
	}
	pki, err = pkis.ByCertificateBasedAuthPkiId(pkiID).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *pki.GetStatus() != "running" {
		t.Errorf("status during the job: %s", *pki.GetStatus())
	}
	err = pkis.ByCertificateBasedAuthPkiId(pkiID).Upload().Post(ctx, upload, nil)
	odataError(t, err, 400, "BadRequest")

	clk.Advance(time.Minute)
	// A throttled read: the SDK's retry handler honours Retry-After and the second try succeeds.
	emu.AddFault(graphemu.Fault{Method: "GET", Path: "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*", Status: 429, RetryAfter: "1"})
	pki, err = pkis.ByCertificateBasedAuthPkiId(pkiID).Get(ctx, nil)
	if err != nil {
		t.Fatalf("get after a 429: %v", err)
	}
	if *pki.GetStatus() != "succeeded" || *pki.GetDisplayName() != "SDK PKI" {
		t.Errorf("after the job: %s", *pki.GetStatus())
	}
	// One GET during the job, then the throttled one and its retry.
	if n := emu.Count("GET", "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*"); n != 3 {
		t.Errorf("journal shows %d PKI GETs, want 3", n)
	}

	cas, err := pkis.ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	list := cas.GetValue()
	if len(list) != 2 {
		t.Fatalf("%d CAs", len(list))
	}
	inter := pemCert(t, "intermediate-ca.pem")
	root, ca := list[0], list[1]
	if *root.GetThumbprint() != testfixtures.ContosoRootThumbprint || root.GetCertificateAuthorityType().String() != "root" || root.GetCertificateRevocationListUrl() != nil {
		t.Errorf("root CA: %s %s", *root.GetThumbprint(), root.GetCertificateAuthorityType().String())
	}
	if *ca.GetThumbprint() != testfixtures.ContosoIntermediateThumb || ca.GetCertificateAuthorityType().String() != "intermediate" ||
		*ca.GetCertificateRevocationListUrl() != testfixtures.ContosoIntermediateCRLURL ||
		!ca.GetExpirationDateTime().Equal(inter.NotAfter) || !bytes.Equal(ca.GetCertificate(), inter.Raw) ||
		*ca.GetDisplayName() != inter.Subject.String() || *ca.GetIssuer() != inter.Issuer.String() ||
		*ca.GetIssuerSubjectKeyIdentifier() != "9514ECF8A48AB96C779523AC6689717E703627DF" || *ca.GetIsIssuerHintEnabled() {
		t.Errorf("intermediate CA parsed as %s %s %v %v", *ca.GetThumbprint(), ca.GetCertificateAuthorityType().String(), ca.GetCertificateRevocationListUrl(), ca.GetExpirationDateTime())
	}
	one, err := pkis.ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(*ca.GetId()).Get(ctx, nil)
	if err != nil || *one.GetThumbprint() != testfixtures.ContosoIntermediateThumb {
		t.Fatalf("get CA: %v", err)
	}

	// Add a CA directly, then update and delete it.
	other := pemCert(t, "other-root-ca.pem")
	newCA := models.NewCertificateAuthorityDetail()
	newCA.SetCertificate(other.Raw)
	newCA.SetThumbprint(ptr(testfixtures.FabrikamRootThumbprint))
	newCA.SetExpirationDateTime(ptr(other.NotAfter))
	rootType := models.ROOT_CERTIFICATEAUTHORITYTYPE
	newCA.SetCertificateAuthorityType(&rootType)
	newCA.SetIsIssuerHintEnabled(ptr(true))
	addedCA, err := pkis.ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().Post(ctx, newCA, nil)
	if err != nil {
		t.Fatalf("create CA: %v", err)
	}
	if *addedCA.GetThumbprint() != testfixtures.FabrikamRootThumbprint || !*addedCA.GetIsIssuerHintEnabled() || addedCA.GetCertificateAuthorityType().String() != "root" {
		t.Errorf("created CA %s", *addedCA.GetThumbprint())
	}
	caPatch := models.NewCertificateAuthorityDetail()
	caPatch.SetCertificateRevocationListUrl(ptr("http://crl.fabrikam.example/root.crl"))
	patched, err := pkis.ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(*addedCA.GetId()).Patch(ctx, caPatch, nil)
	if err != nil || *patched.GetCertificateRevocationListUrl() != "http://crl.fabrikam.example/root.crl" {
		t.Fatalf("patch CA: %v", err)
	}
	if err := pkis.ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(*addedCA.GetId()).Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, err = pkis.ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(*addedCA.GetId()).Get(ctx, nil)
	odataError(t, err, 404, "Request_ResourceNotFound")

	pkiPatch := models.NewCertificateBasedAuthPki()
	pkiPatch.SetDisplayName(ptr("SDK PKI renamed"))
	patchedPKI, err := pkis.ByCertificateBasedAuthPkiId(pkiID).Patch(ctx, pkiPatch, nil)
	if err != nil || *patchedPKI.GetDisplayName() != "SDK PKI renamed" {
		t.Fatalf("patch PKI: %v", err)
	}
	listed, err := pkis.Get(ctx, nil)
	if err != nil || len(listed.GetValue()) != 1 || *listed.GetValue()[0].GetStatus() != "succeeded" {
		t.Fatalf("list PKIs: %v", err)
	}
	if err := pkis.ByCertificateBasedAuthPkiId(pkiID).Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, err = pkis.ByCertificateBasedAuthPkiId(pkiID).Get(ctx, nil)
	odataError(t, err, 404, "Request_ResourceNotFound")

	// A wrong token: 401 InvalidAuthenticationToken, parsed by the SDK.
	_, err = newSDKClient(t, srv.URL, "wrong").Identity().ApiConnectors().Get(ctx, nil)
	odataError(t, err, 401, "InvalidAuthenticationToken")
}

func ptr[T any](v T) *T { return &v }
