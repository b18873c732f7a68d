package pki

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Ownership of certificate authorities.
//
// One CA is declared by one managed object: an upload (each CA of its file) or a CA resource. Terraform plans every
// resource instance of the configuration on every plan (PlanResourceChange), so each upload and CA resource declares
// its CAs here during the plan, and a second object that declares a CA of the same PKI fails the plan, before any
// write. The rule therefore holds across runs, whatever the order in which objects were added: the run that adds the
// second declaration fails at plan. (-target plans only some objects and can bypass it; that is why an object also
// records in private state which CAs it adopted, and never deletes those.)
//
// Within one walk the registry also tells Delete which CAs an object created or updated in this run declares
// (create_before_destroy: the new object holds the deposed one's CAs), so Delete keeps them. A provider instance
// serves one Terraform command; the registry lives on clients.Client and never outlives it.
type caDeclarations struct {
	mu     sync.Mutex
	owners map[string]caOwner // claimKey -> who declared it
}

// caOwner is one managed object as the provider can name it: resources do not see their address, so by what
// identifies them (the upload's file, the CA resource's certificate).
type caOwner struct {
	Key   string // uploadID or caResourceID, with its kind
	Label string // for diagnostics
}

func uploadOwner(pkiID, hash string) caOwner {
	return caOwner{"upload " + uploadID(pkiID, hash), fmt.Sprintf("the entracert_certificate_based_auth_pki_upload of the file "+
		"with sha256_file_hash %s", strings.ToUpper(hash))}
}

func caResourceOwner(pkiID, thumbprint string) caOwner {
	return caOwner{"ca " + caResourceID(pkiID, thumbprint), fmt.Sprintf("the entracert_certificate_based_auth_certificate_authority "+
		"of certificate %s", strings.ToUpper(thumbprint))}
}

// declarationsOf is the registry of one configured provider instance (nil before Configure).
func declarationsOf(c *clients.Client) *caDeclarations {
	if c == nil {
		return nil
	}
	return clients.RegistryOf(&c.Registries, "pki/ca-declarations", func() *caDeclarations {
		return &caDeclarations{owners: map[string]caOwner{}}
	})
}

func claimKey(pkiID, thumbprint string) string {
	return strings.ToLower(pkiID) + "/" + strings.ToUpper(thumbprint)
}

// overlap is a CA that another object declared already.
type overlap struct {
	Thumbprint string
	Other      caOwner
}

// declare records owner's CAs; it returns the CAs another owner declared already (and declares none of them then).
// Declaring again as the same owner is fine: Terraform plans a replaced object twice, and the apply plans again.
func (r *caDeclarations) declare(pkiID string, owner caOwner, thumbprints []string) []overlap {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var taken []overlap
	for _, t := range thumbprints {
		if o, ok := r.owners[claimKey(pkiID, t)]; ok && o.Key != owner.Key {
			taken = append(taken, overlap{strings.ToUpper(t), o})
		}
	}
	if len(taken) > 0 {
		return taken
	}
	for _, t := range thumbprints {
		r.owners[claimKey(pkiID, t)] = owner
	}
	return nil
}

// declaredByOther reports whether an object other than owner declared the CA in this walk.
func (r *caDeclarations) declaredByOther(pkiID, thumbprint string, owner caOwner) bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.owners[claimKey(pkiID, thumbprint)]
	return ok && o.Key != owner.Key
}

// declared reports whether some object declared the CA in this walk.
func (r *caDeclarations) declared(pkiID, thumbprint string) bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.owners[claimKey(pkiID, thumbprint)]
	return ok
}

// overlapDiagnostic is the plan-time error of an object that declares CAs another object of the configuration
// declares already.
func overlapDiagnostic(at path.Path, pkiID string, me caOwner, taken []overlap) diag.Diagnostic {
	byOther := map[string][]string{}
	var others []string
	for _, o := range taken {
		if _, ok := byOther[o.Other.Label]; !ok {
			others = append(others, o.Other.Label)
		}
		byOther[o.Other.Label] = append(byOther[o.Other.Label], o.Thumbprint)
	}
	sort.Strings(others)
	var lines []string
	for _, o := range others {
		lines = append(lines, fmt.Sprintf("- %s, also declared by %s", strings.Join(byOther[o], ", "), o))
	}
	return diag.NewAttributeErrorDiagnostic(at, "A certificate authority is declared twice",
		fmt.Sprintf("In PKI %s, %s declares certificate authorities that another object of this configuration declares:\n%s\n\n"+
			"Declare each certificate authority once: keep it in one .p7b (one upload) or in one "+
			"entracert_certificate_based_auth_certificate_authority, and remove it from the other. Otherwise destroying one "+
			"object would delete a CA the other still declares. Nothing was written.",
			pkiID, me.Label, strings.Join(lines, "\n")))
}

// privateAdopted is the private-state key listing the CAs an upload adopted: they were in the PKI, put there by
// someone else, before the upload first declared them. The upload never deletes them (not on destroy, not when
// they leave its file): it deletes only what it added. An import counts as owning (nothing adopted), as does a
// state written before this key existed.
const privateAdopted = "adopted_cas"

func adoptedOf(ctx context.Context, p clients.PrivateState) map[string]bool {
	out := map[string]bool{}
	if p == nil {
		return out
	}
	b, diags := p.GetKey(ctx, privateAdopted)
	if diags.HasError() || len(b) == 0 {
		return out
	}
	var thumbs []string
	if json.Unmarshal(b, &thumbs) != nil {
		return out
	}
	for _, t := range thumbs {
		out[strings.ToUpper(t)] = true
	}
	return out
}

func setAdopted(ctx context.Context, p clients.PrivateState, adopted map[string]bool) diag.Diagnostics {
	if len(adopted) == 0 {
		return p.SetKey(ctx, privateAdopted, nil)
	}
	thumbs := make([]string, 0, len(adopted))
	for t := range adopted {
		thumbs = append(thumbs, t)
	}
	sort.Strings(thumbs)
	b, _ := json.Marshal(thumbs)
	return p.SetKey(ctx, privateAdopted, b)
}
