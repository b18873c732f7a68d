package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// userFlags registers -user (repeatable) and returns the function that creates the users once the emulator runs,
// printing each one's object ID, so entracert_user_certificate_user_ids has users to bind.
func userFlags(fs *flag.FlagSet) func(*graphemu.Emulator, io.Writer) {
	var upns []string
	fs.Func("user", "create a cloud-only user with this user principal name (alias@domain) and print its object ID; repeatable",
		func(v string) error {
			if at := strings.Index(v, "@"); at <= 0 || at == len(v)-1 || strings.ContainsAny(v, " \t") {
				return errors.New("want a user principal name such as bob@contoso.com")
			}
			upns = append(upns, v)
			return nil
		})
	return func(emu *graphemu.Emulator, stdout io.Writer) {
		for _, upn := range upns {
			fmt.Fprintf(stdout, "user_id=%s user_principal_name=%s\n", emu.AddUser(upn), upn)
		}
	}
}
