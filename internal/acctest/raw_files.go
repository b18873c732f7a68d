package acctest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// RawFilesClean checks the raw files Terraform wrote in its working directories (workDirs: set TF_ACC_TEMP_DIR to
// it before New): none may contain any of secrets (named by what they are), and at least one state file must be there,
// each holding marker, so the check is known to read the state under test. The configuration and its variables
// (*.tf, *.tfvars.json) hold the secrets by design and are skipped, as is .terraform/.
func RawFilesClean(workDirs, marker string, secrets map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stateFiles := 0
		err := filepath.WalkDir(workDirs, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			name := d.Name()
			if strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tfvars.json") || strings.Contains(p, "/.terraform/") {
				return nil
			}
			b, err := os.ReadFile(p) //nolint:gosec // terraform's own working directory of this test
			if err != nil {
				return err
			}
			if strings.Contains(name, ".tfstate") {
				stateFiles++
				if !strings.Contains(string(b), marker) {
					return fmt.Errorf("%s does not hold %s: not the state under test", p, marker)
				}
			}
			for what, s := range secrets {
				if strings.Contains(string(b), s) {
					return fmt.Errorf("%s contains the %s", p, what)
				}
			}
			return nil
		})
		if err == nil && stateFiles == 0 {
			err = fmt.Errorf("no state file found under %s", workDirs)
		}
		return err
	}
}
