package graphemu

import (
	"encoding/json"
	"fmt"
)

// SeedTenantPilotGroupID is the group the seeded CBA policy is enabled for (and the one CA scope names).
const SeedTenantPilotGroupID = "5f4b3c2a-1d0e-4f9a-8b7c-6d5e4f3a2b1c"

// seedPolicy is the customised CBA policy of the seeded tenant, checked as a PATCH of it would be: enabled for a
// pilot group, multifactor for Contoso Issuing CA 2, bindings to certificateUserIds, CRL validation with the
// CRL-less Fabrikam root exempted, issuer hints on, and the Fabrikam users CA scoped to the pilot group.
func seedPolicy(contoso, fabrikam []*ca) (map[string]json.RawMessage, error) {
	issuing2, fabrikamRoot, fabrikamUsers := contoso[2], fabrikam[0], fabrikam[1]
	body := map[string]any{
		"state":          "enabled",
		"includeTargets": []any{map[string]any{"targetType": "group", "id": SeedTenantPilotGroupID, "isRegistrationRequired": false}},
		"excludeTargets": []any{},
		"authenticationModeConfiguration": map[string]any{
			"x509CertificateAuthenticationDefaultMode":    "x509CertificateSingleFactor",
			"x509CertificateDefaultRequiredAffinityLevel": "low",
			"rules": []any{map[string]any{
				"x509CertificateRuleType":           "issuerSubject",
				"identifier":                        issuing2.displayName,
				"x509CertificateAuthenticationMode": "x509CertificateMultiFactor",
			}},
		},
		"certificateUserBindings": []any{
			map[string]any{"x509CertificateField": "PrincipalName", "userProperty": "userPrincipalName", "priority": 1},
			map[string]any{"x509CertificateField": "SubjectKeyIdentifier", "userProperty": "certificateUserIds", "priority": 2},
		},
		"crlValidationConfiguration": map[string]any{"state": "enabled",
			"exemptedCertificateAuthoritiesSubjectKeyIdentifiers": []string{subjectKeyIdentifier(fabrikamRoot.der)}},
		"issuerHintsConfiguration": map[string]any{"state": "enabled"},
		"certificateAuthorityScopes": []any{map[string]any{
			"subjectKeyIdentifier": subjectKeyIdentifier(fabrikamUsers.der),
			"includeTargets":       []any{map[string]any{"targetType": "group", "id": SeedTenantPilotGroupID}},
		}},
	}
	o := map[string]json.RawMessage{}
	for k, v := range body {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		o[k] = raw
	}
	updates, err := validateCBAPolicyPatch(o, false)
	if err != nil {
		return nil, fmt.Errorf("graphemu: the seeded CBA policy is not valid: %w", err)
	}
	return updates, nil
}
