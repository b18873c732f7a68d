# Import a user's certificateUserIds by the user's object ID or user principal name.
terraform import entracert_user_certificate_user_ids.bob 6b2d3bd3-b078-4f46-ac53-f862f35e10b6
terraform import entracert_user_certificate_user_ids.bob bob@contoso.com
