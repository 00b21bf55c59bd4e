/// Credentials inside URLs and connection strings.
enum URIRules {
    static let all: [Rule] = [
        Rule(id: "database-uri-password", title: "Password in a database connection URI", kind: "db_connection_string",
             severity: .high, confidence: .high,
             regex: #"(?i)\b(?:jdbc:)?(?:postgres(?:ql)?|pgsql|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|db2|clickhouse|cockroachdb|cassandra|couchdb|neo4j(?:\+s)?|bolt|memcached|nats|kafka|influxdb|elasticsearch|ldaps?|snowflake|presto|trino|vertica|hana|firebird|sybase|timescale|questdb|scylla|arangodb|rethinkdb|orientdb|couchbase|redshift|sqlite)(?:\+[a-z0-9]+)?://(?<user>[^:@/\s"'<>{}]{0,128}):(?<secret>[^@\s"'<>{}/]{1,256})@"#,
             keywords: ["://"], validator: .urlPassword, window: 400, filterPlaceholders: true, priority: 72),
        Rule(id: "url-basic-auth", title: "Password in a URL", kind: "url_basic_auth", severity: .high, confidence: .medium,
             regex: #"(?i)\b(?:https?|ftps?|sftp|ssh|git|svn|smb|webdav|dav|wss?|s3|smtps?|imaps?|pop3s?|socks5?|rsync|nexus)(?:\+[a-z]+)?://(?<user>[^:@/\s"'<>{}]{1,128}):(?<secret>[^@\s"'<>{}/]{1,256})@[A-Za-z0-9\[]"#,
             keywords: ["://"], validator: .urlPassword, window: 400, filterPlaceholders: true, priority: 70),
        Rule(id: "jdbc-password-param", title: "Password in a JDBC URL", kind: "db_connection_string", severity: .high,
             regex: #"(?i)jdbc:[a-z0-9]+:[^\s"']*?[?&;](?:password|pwd)=([^&;\s"']{3,128})"#,
             keywords: ["jdbc:"], secretGroup: 1, validator: .passwordValue, window: 600, priority: 72),
        Rule(id: "connection-string-password", title: "Password in a connection string", kind: "db_connection_string",
             severity: .high,
             regex: #"(?i)(?:Server|Data Source|Host|Address|Endpoint)\s*=[^;"'\r\n]{1,200};(?:[^;"'\r\n]{1,200};){0,8}?\s*(?:Password|Pwd)\s*=\s*(?|"([^"\r\n]{3,128})"|'([^'\r\n]{3,128})'|([^;"'\r\n]{3,128}))"#,
             keywords: ["password", "pwd"], secretGroup: 1, validator: .passwordValue, window: 800, priority: 72),
        Rule(id: "azure-storage-connection-string", title: "Azure storage connection string", kind: "azure_storage_key",
             severity: .critical, confidence: .high,
             regex: #"(?i)DefaultEndpointsProtocol=https?;AccountName=[a-z0-9]{3,24};AccountKey=([A-Za-z0-9+/]{86}==)"#,
             keywords: ["DefaultEndpointsProtocol"], secretGroup: 1, window: 400, priority: 78),
    ]
}
