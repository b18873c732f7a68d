package graphemu

import (
	"encoding/json"
	"fmt"
	"time"
)

// Tenant is what SeedTenant made: a tenant as someone built it in the portal before adopting Terraform.
type Tenant struct {
	PKIs          []TenantPKI
	APIConnectors []TenantAPIConnector
	// Policy is the customised CBA policy, as the top-level properties of its PATCH body (JSON).
	Policy map[string]json.RawMessage
}

// TenantPKI is one seeded PKI and its certificate authorities, in Graph's order.
type TenantPKI struct {
	ID, DisplayName        string
	CertificateAuthorities []TenantCA
}

// TenantCA is one seeded certificate authority.
type TenantCA struct {
	ID, Thumbprint, DisplayName string
	// Type is root or intermediate; SubjectKeyIdentifier is the CA's own (uppercase hex).
	Type, SubjectKeyIdentifier string
	ExpirationDateTime         time.Time
	CRLURL, DeltaCRLURL        string
	IsIssuerHintEnabled        bool
	// Uploaded: it came with the PKI's .p7b upload; otherwise it was added on its own (POST certificateAuthorities).
	Uploaded bool
	// Certificate is the DER of the certificate.
	Certificate []byte
}

// TenantAPIConnector is one seeded API connector; Certificates is empty for one on basic authentication.
type TenantAPIConnector struct {
	ID, DisplayName, TargetURL string
	Certificates               []TenantClientCertificate
}

// TenantClientCertificate is one entry of a seeded connector's certificateList, in upload order.
type TenantClientCertificate struct {
	Thumbprint          string
	NotBefore, NotAfter time.Time
}

// Expiry of the seeded objects that a monitor should warn about, counted from the emulator's clock at seeding.
const (
	TenantExpiringCAIn          = 20 * 24 * time.Hour // Contoso Issuing CA 1
	TenantExpiringCertificateIn = 14 * 24 * time.Hour // the older certificate of "Contoso sign-up validation"
)

// seedCA is one CA of the seeded tenant.
type seedCA struct {
	name, parent  string // parent: the name of the issuing CA ("" for a root)
	validFor      time.Duration
	crl, deltaCRL string
	hint          bool
	displayName   string // set by the admin when added directly ("" keeps the subject)
}

// seedPKI is one PKI of the seeded tenant: its CAs came in a .p7b upload or were added one by one.
type seedPKI struct {
	name     string
	uploaded bool
	cas      []seedCA
}

const day = 24 * time.Hour

var seedPKIs = []seedPKI{
	{name: "Contoso Corporate PKI", uploaded: true, cas: []seedCA{
		{name: "Contoso Root CA", validFor: 3650 * day},
		// After the upload an admin enabled issuer hints on the issuing CAs, as Entra's guide advises.
		{name: "Contoso Issuing CA 1", parent: "Contoso Root CA", validFor: TenantExpiringCAIn,
			crl: "http://crl.contoso.example/issuing1.crl", hint: true},
		{name: "Contoso Issuing CA 2", parent: "Contoso Root CA", validFor: 1095 * day,
			crl: "http://crl.contoso.example/issuing2.crl", deltaCRL: "http://crl.contoso.example/issuing2-delta.crl", hint: true},
	}},
	{name: "Fabrikam Partner PKI", cas: []seedCA{
		{name: "Fabrikam Root CA", validFor: 1825 * day},
		{name: "Fabrikam Users CA", parent: "Fabrikam Root CA", validFor: 400 * day,
			crl: "http://pki.fabrikam.example/users.crl", hint: true, displayName: "Fabrikam users (partner)"},
	}},
	{name: "Woodgrove Legacy PKI", uploaded: true, cas: []seedCA{
		{name: "Woodgrove Root G1", validFor: 200 * day, crl: "http://crl.woodgrove.example/g1.crl"},
	}},
}

// seedTenantConnectors: the first has an old certificate about to expire and its successor (active); the second one
// certificate; the third is still on basic authentication.
var seedTenantConnectors = []struct {
	name, target string
	certs        []time.Duration // validity from now of each certificate, in upload order
}{
	{"Contoso sign-up validation", "https://api.contoso.example/signup/validate", []time.Duration{TenantExpiringCertificateIn, 365 * day}},
	{"Contoso token enrichment", "https://api.contoso.example/token/enrich", []time.Duration{300 * day}},
	{"Fabrikam age gate", "https://api.fabrikam.example/agegate", nil},
}

// SeedTenant makes a realistic existing tenant, visible at once: three PKIs (CAs from .p7b uploads, CAs added one by
// one with their own display name, CRLs and issuer hints), API connectors with client certificates (one about to
// expire beside its successor) and one on basic authentication, and a customised CBA policy naming the seeded CAs.
// Certificates are made fresh (ECDSA P-256), valid from a day before the emulator's clock.
func (e *Emulator) SeedTenant() (Tenant, error) {
	e.mu.Lock()
	now := e.clk.Now().UTC().Truncate(time.Second)
	e.mu.Unlock()
	var out Tenant
	made := map[string]*seedCertificate{}
	// Certificates are made outside the lock; objects are added under it.
	type pending struct {
		spec seedPKI
		cas  []*ca
	}
	var pkis []pending
	for _, sp := range seedPKIs {
		pp := pending{spec: sp}
		for _, sc := range sp.cas {
			cert, err := makeSeedCertificate(seedCertificateSpec{commonName: sc.name, organization: sp.name,
				notBefore: now.Add(-day), notAfter: now.Add(sc.validFor), crlURL: sc.crl, parent: made[sc.parent]})
			if err != nil {
				return Tenant{}, err
			}
			made[sc.name] = cert
			facts, err := parseCACertificate(cert.der)
			if err != nil {
				return Tenant{}, fmt.Errorf("graphemu: the seed certificate %q: %w", sc.name, err)
			}
			// As the upload job or POST certificateAuthorities makes it, then the admin's own settings.
			a := newCA(*facts, now)
			hint, delta := sc.hint, sc.deltaCRL
			a.apply(caFields{name: nonEmpty(sc.displayName), hint: &hint, deltaCRL: &delta})
			pp.cas = append(pp.cas, a)
		}
		pkis = append(pkis, pp)
	}
	type pendingConnector struct {
		con   *connector
		certs []TenantClientCertificate
	}
	var connectors []pendingConnector
	for _, sc := range seedTenantConnectors {
		con := &connector{id: newGUID(), displayName: sc.name, targetURL: sc.target, visibleAt: now,
			auth: authBasicKind, username: "seeded", password: "seeded-" + newGUID()}
		pc := pendingConnector{con: con}
		for i, validFor := range sc.certs {
			cert, err := makeSeedCertificate(seedCertificateSpec{commonName: fmt.Sprintf("%s client %d", sc.name, i+1),
				organization: "Contoso", notBefore: now.Add(-day), notAfter: now.Add(validFor), leaf: true})
			if err != nil {
				return Tenant{}, err
			}
			facts, err := parseLeaf(cert.der)
			if err != nil {
				return Tenant{}, err
			}
			pc.certs = append(pc.certs, facts)
		}
		connectors = append(connectors, pc)
	}
	policy, err := seedPolicy(pkis[0].cas, pkis[1].cas)
	if err != nil {
		return Tenant{}, err
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	for _, pp := range pkis {
		p := e.newPKI(pp.spec.name, now, now)
		p.replicatedAt = now
		tp := TenantPKI{ID: p.id, DisplayName: p.displayName}
		for _, a := range pp.cas {
			p.cas = append(p.cas, a)
			tp.CertificateAuthorities = append(tp.CertificateAuthorities, TenantCA{ID: a.id, Thumbprint: a.thumbprint,
				DisplayName: a.displayName, Type: a.typ, SubjectKeyIdentifier: subjectKeyIdentifier(a.der),
				ExpirationDateTime: a.expiration, CRLURL: a.crl, DeltaCRLURL: a.deltaCRL, IsIssuerHintEnabled: a.isIssuerHintEnable,
				Uploaded: pp.spec.uploaded, Certificate: append([]byte(nil), a.der...)})
		}
		out.PKIs = append(out.PKIs, tp)
	}
	for _, pc := range connectors {
		con := pc.con
		e.connectors[con.id] = con
		e.connectorOrder = append(e.connectorOrder, con.id)
		for _, c := range pc.certs {
			if con.auth != authCert {
				con.auth, con.username, con.password = authCert, "", ""
			}
			e.certSeq++
			con.certs = append(con.certs, &clientCert{thumbprint: c.Thumbprint, notBefore: c.NotBefore, notAfter: c.NotAfter,
				seq: e.certSeq, visibleAt: now})
		}
		out.APIConnectors = append(out.APIConnectors, TenantAPIConnector{ID: con.id, DisplayName: con.displayName,
			TargetURL: con.targetURL, Certificates: pc.certs})
	}
	s := e.policyState()
	for k, v := range policy {
		s.doc[k] = v
	}
	out.Policy = policy
	return out, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
