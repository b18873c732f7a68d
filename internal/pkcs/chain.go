package pkcs

import "strings"

// IssuerCandidate is a certificate authority that may have issued another: its subject and own subject key identifier.
type IssuerCandidate struct {
	Subject string // RFC 2253
	SKI     string // uppercase hex, "" when unknown
}

// CandidateOf is ca as an issuer candidate.
func CandidateOf(ca CertificateAuthority) IssuerCandidate {
	return IssuerCandidate{Subject: ca.Subject, SKI: ca.SubjectKeyIdentifier}
}

// MissingIssuer is a CA whose issuer is nowhere to be found: Entra needs every CA up to the root in the trust store.
type MissingIssuer struct {
	CA CertificateAuthority
	// IssuerName is the missing issuer's subject (the CA's issuer DN); IssuerKeyID its key identifier (the CA's
	// authority key identifier, "" when the certificate has none).
	IssuerName, IssuerKeyID string
}

// issues reports whether candidate c is ca's issuer: by authority key identifier against the subject key identifier,
// falling back to the issuer name when either identifier is missing.
func (c IssuerCandidate) issues(ca CertificateAuthority) bool {
	if ca.IssuerSubjectKeyIdentifier != "" && c.SKI != "" {
		return strings.EqualFold(ca.IssuerSubjectKeyIdentifier, c.SKI)
	}
	return c.Subject != "" && c.Subject == ca.Issuer
}

// MissingIssuers are the CAs of cas (in order) that are not roots and whose issuer is neither another CA of cas nor
// one of others.
func MissingIssuers(cas []CertificateAuthority, others []IssuerCandidate) []MissingIssuer {
	candidates := make([]IssuerCandidate, 0, len(cas)+len(others))
	for _, ca := range cas {
		candidates = append(candidates, CandidateOf(ca))
	}
	candidates = append(candidates, others...)
	var out []MissingIssuer
	for _, ca := range cas {
		if ca.IsRoot {
			continue
		}
		found := false
		for _, c := range candidates {
			if c.issues(ca) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, MissingIssuer{CA: ca, IssuerName: ca.Issuer, IssuerKeyID: ca.IssuerSubjectKeyIdentifier})
		}
	}
	return out
}
