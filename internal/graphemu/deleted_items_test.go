package graphemu_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const deletedItemsPath = "/directory/deletedItems"

// uploadedPKI is a PKI holding contoso-pki.p7b's two CAs, the intermediate's CRL URL changed.
func uploadedPKI(t *testing.T, v *env) (id string, cas []map[string]any) {
	t.Helper()
	id = v.createPKI("Contoso PKI")
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), http.StatusNoContent)
	v.clk.Advance(graphemu.DefaultUploadDuration)
	cas = v.cas(id)
	if len(cas) != 2 {
		t.Fatalf("%d CAs after the upload, want 2", len(cas))
	}
	caID := testfixtures.As[string](t, cas[1]["id"])
	wantStatus(t, v.do("PATCH", pkisPath+"/"+id+"/certificateAuthorities/"+caID,
		map[string]any{"certificateRevocationListUrl": "http://crl.contoso.example/changed.crl"}), http.StatusOK)
	return id, v.cas(id)
}

// A deleted PKI is a deleted item with deletedDateTime; restoring it brings back the same id, its CAs and their
// settings; then it is no longer a deleted item.
func TestDeletedPKIRestoredWithItsCAs(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id, before := uploadedPKI(t, v)
	wantStatus(t, v.do("DELETE", pkisPath+"/"+id, nil), http.StatusNoContent)
	wantStatus(t, v.do("GET", pkisPath+"/"+id, nil), http.StatusNotFound)

	v.clk.Advance(time.Hour)
	r := v.do("GET", deletedItemsPath+"/microsoft.graph.certificateBasedAuthPki", nil)
	wantStatus(t, r, http.StatusOK)
	list, _ := r.obj(t)["value"].([]any)
	if len(list) != 1 || testfixtures.As[map[string]any](t, list[0])["id"] != id || testfixtures.As[map[string]any](t, list[0])["deletedDateTime"] != "2027-01-01T00:00:03Z" {
		t.Fatalf("deleted PKIs = %v, want %s deleted at 00:00:03", list, id)
	}
	r = v.do("GET", deletedItemsPath+"/"+id, nil)
	wantStatus(t, r, http.StatusOK)
	if m := r.obj(t); m["@odata.type"] != graphemu.TypeCertificateBasedAuthPki || m["displayName"] != "Contoso PKI" {
		t.Fatalf("deleted item = %v", m)
	}
	// No cast: Graph does not support listing every deleted item.
	wantStatus(t, v.do("GET", deletedItemsPath, nil), http.StatusBadRequest)

	r = v.do("POST", deletedItemsPath+"/"+id+"/restore", nil)
	wantStatus(t, r, http.StatusOK)
	if m := r.obj(t); m["id"] != id || m["deletedDateTime"] != nil {
		t.Fatalf("restore answered %v", m)
	}
	if got := v.pki(id); got["displayName"] != "Contoso PKI" {
		t.Fatalf("restored PKI = %v", got)
	}
	after := v.cas(id)
	if len(after) != 2 || after[0]["id"] != before[0]["id"] || after[1]["id"] != before[1]["id"] ||
		after[1]["certificateRevocationListUrl"] != "http://crl.contoso.example/changed.crl" {
		t.Fatalf("CAs after restore = %v\nwant %v", after, before)
	}
	wantStatus(t, v.do("GET", deletedItemsPath+"/"+id, nil), http.StatusNotFound)
	wantStatus(t, v.do("POST", deletedItemsPath+"/"+id+"/restore", nil), http.StatusNotFound)
}

// After 30 days (emulator clock), or a permanent delete, the PKI cannot be restored.
func TestDeletedPKIExpiresAndPurges(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	a, b := v.createPKI("a"), v.createPKI("b")
	wantStatus(t, v.do("DELETE", pkisPath+"/"+a, nil), http.StatusNoContent)
	wantStatus(t, v.do("DELETE", pkisPath+"/"+b, nil), http.StatusNoContent)
	wantStatus(t, v.do("DELETE", deletedItemsPath+"/"+b, nil), http.StatusNoContent)
	wantStatus(t, v.do("GET", deletedItemsPath+"/"+b, nil), http.StatusNotFound)
	v.clk.Advance(graphemu.DeletedItemRetention - time.Second)
	wantStatus(t, v.do("GET", deletedItemsPath+"/"+a, nil), http.StatusOK)
	v.clk.Advance(time.Second)
	wantError(t, v.do("POST", deletedItemsPath+"/"+a+"/restore", nil), http.StatusNotFound, "Request_ResourceNotFound", a)
	if n := v.emu.DeletedItemCount(); n != 0 {
		t.Fatalf("%d deleted items after 30 days", n)
	}
}

// The test switches: SetSoftDelete(false) makes deletes permanent; PurgeDeletedItems empties the deleted items.
func TestSoftDeleteSwitches(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	a := v.createPKI("a")
	wantStatus(t, v.do("DELETE", pkisPath+"/"+a, nil), http.StatusNoContent)
	v.emu.PurgeDeletedItems()
	wantStatus(t, v.do("GET", deletedItemsPath+"/"+a, nil), http.StatusNotFound)
	v.emu.SetSoftDelete(false)
	b := v.createPKI("b")
	wantStatus(t, v.do("DELETE", pkisPath+"/"+b, nil), http.StatusNoContent)
	wantStatus(t, v.do("GET", deletedItemsPath+"/"+b, nil), http.StatusNotFound)
}

// A CA deleted on its own is a deleted certificateAuthorityDetail and comes back into its PKI with its id;
// not while its PKI is gone, and not when the PKI holds its thumbprint again.
func TestDeletedCARestored(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id, cas := uploadedPKI(t, v)
	caID := testfixtures.As[string](t, cas[1]["id"])
	wantStatus(t, v.do("DELETE", pkisPath+"/"+id+"/certificateAuthorities/"+caID, nil), http.StatusNoContent)
	r := v.do("GET", deletedItemsPath+"/microsoft.graph.certificateAuthorityDetail", nil)
	wantStatus(t, r, http.StatusOK)
	if list, _ := r.obj(t)["value"].([]any); len(list) != 1 || testfixtures.As[map[string]any](t, list[0])["id"] != caID {
		t.Fatalf("deleted CAs = %v", list)
	}
	wantStatus(t, v.do("POST", deletedItemsPath+"/"+caID+"/restore", nil), http.StatusOK)
	if got := v.cas(id); len(got) != 2 || got[1]["id"] != caID || got[1]["certificateRevocationListUrl"] != "http://crl.contoso.example/changed.crl" {
		t.Fatalf("CAs after restore = %v", got)
	}

	wantStatus(t, v.do("DELETE", pkisPath+"/"+id+"/certificateAuthorities/"+caID, nil), http.StatusNoContent)
	wantStatus(t, v.do("DELETE", pkisPath+"/"+id, nil), http.StatusNoContent)
	wantStatus(t, v.do("POST", deletedItemsPath+"/"+caID+"/restore", nil), http.StatusBadRequest)
}
