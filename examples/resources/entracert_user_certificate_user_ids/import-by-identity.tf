# Import a user's certificateUserIds by its identity, the user's object ID (Terraform 1.12 and OpenTofu 1.12 and later).
import {
  to = entracert_user_certificate_user_ids.bob
  identity = {
    id = "6b2d3bd3-b078-4f46-ac53-f862f35e10b6"
  }
}
