{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": ["oss:GetObject", "oss:PutObject"], "Resource": "acs:oss:*:*:${bucket}/*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*"}
  ]
}
