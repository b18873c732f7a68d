# Import a user's certificateUserIds by the user's object ID or user principal name (Terraform 1.5 and later).
import {
  to = entracert_user_certificate_user_ids.bob
  id = "bob@contoso.com"
}
