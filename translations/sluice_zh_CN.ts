<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiErrors</name>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="299"/>
        <source>The server rejected the request as invalid. Check the model name and the request parameters.</source>
        <translation>服务器认为请求无效并拒绝了它。请检查模型名称和请求参数。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="303"/>
        <source>The server did not accept the API key. Check the API key in Settings.</source>
        <translation>服务器不接受此 API 密钥。请在设置中检查 API 密钥。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="306"/>
        <source>The account has no credit left or needs a payment method. Check the billing settings of your provider account.</source>
        <translation>账户余额已用尽或需要添加付款方式。请检查你在服务商处的账户账单设置。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="310"/>
        <source>This API key has no access to this model or endpoint. Check the model name and the permissions of your account.</source>
        <translation>此 API 密钥无权访问该模型或端点。请检查模型名称和你的账户权限。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="314"/>
        <source>The server does not know this address or model. Check the base URL and the model name in Settings.</source>
        <translation>服务器无法识别此地址或模型。请在设置中检查 API 地址和模型名称。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="318"/>
        <source>The server timed out waiting for the request. Try again.</source>
        <translation>服务器等待请求超时。请重试。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="321"/>
        <source>The request is too long for the server. Shorten the conversation or start a new one.</source>
        <translation>请求内容过长，服务器无法处理。请缩短对话或开始新对话。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="325"/>
        <source>The server could not process the request. Check the model name and the request parameters.</source>
        <translation>服务器无法处理该请求。请检查模型名称和请求参数。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="329"/>
        <source>Too many requests, or the quota is used up. Wait a moment and try again, or check the limits of your plan.</source>
        <translation>请求过多，或配额已用尽。请稍候再试，或检查你所用套餐的限额。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="336"/>
        <source>The server has a problem (HTTP %1). Try again later.</source>
        <translation>服务器出现问题（HTTP %1）。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="340"/>
        <source>The server is overloaded (HTTP 529). Try again later.</source>
        <translation>服务器过载（HTTP 529）。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="346"/>
        <source>The server reported an error (HTTP %1). Try again later.</source>
        <translation>服务器报告了错误（HTTP %1）。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="350"/>
        <source>The server refused the request (HTTP %1).</source>
        <translation>服务器拒绝了请求（HTTP %1）。</translation>
    </message>
    <message>
        <location filename="../app/core/api/apierror.cpp" line="353"/>
        <source>The request failed (HTTP %1).</source>
        <translation>请求失败（HTTP %1）。</translation>
    </message>
</context>
<context>
    <name>ApiKeyField</name>
    <message>
        <location filename="../ui/apikeyfield.cpp" line="49"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../ui/apikeyfield.cpp" line="50"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>ChatClient</name>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="162"/>
        <source>the server gave no details.</source>
        <translation>服务器未提供详细信息。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="261"/>
        <source>“%1” is not a valid http:// or https:// address; check the base URL in Settings.</source>
        <translation>“%1”不是有效的 http:// 或 https:// 地址；请在设置中检查 API 地址。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="264"/>
        <source>The API key contains spaces or characters that cannot be sent; paste it again in Settings.</source>
        <translation>API 密钥包含空格或无法发送的字符；请在设置中重新粘贴。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="283"/>
        <source>The reply was stopped.</source>
        <translation>回复已停止。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="452"/>
        <source>The server sent the chat request elsewhere (HTTP 303 to %1), where it cannot be posted; if that is the right address, set it as the base URL in Settings.</source>
        <translation>服务器将对话请求转到了别处（HTTP 303，转至 %1），无法向该处提交请求；如果那才是正确的地址，请在设置中将其设为 API 地址。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="459"/>
        <source>The server redirected the request to an address Sluice cannot use (%1).</source>
        <translation>服务器将请求重定向到了 Sluice 无法使用的地址（%1）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="465"/>
        <source>The server redirected the request from https to unencrypted http (%1); Sluice does not follow such redirects.</source>
        <translation>服务器将请求从 https 重定向到了未加密的 http（%1）；Sluice 不会跟随此类重定向。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="472"/>
        <source>The server redirected the request too many times (last to %1).</source>
        <translation>服务器重定向请求的次数过多（最后一次转至 %1）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="554"/>
        <source>The server sent an event larger than the limit of %1, so the reply was stopped.</source>
        <translation>服务器发送的事件超过了 %1 的上限，回复已停止。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="569"/>
        <source>The server reported an error in the middle of the reply: %1</source>
        <translation>服务器在回复中途报告了错误：%1</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="611"/>
        <source>%1 did not answer within %2 seconds.</source>
        <translation>%1 未在 %2 秒内响应。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="662"/>
        <source>The server answered with an error instead of a stream: %1</source>
        <translation>服务器返回了错误，而不是数据流：%1</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="664"/>
        <source>The server answered with “%1” (HTTP %2) instead of an event stream. The base URL may point to a web page, a login portal or a proxy rather than to the API; check it in Settings.</source>
        <translation>服务器返回了“%1”（HTTP %2），而不是事件流。API 地址可能指向了网页、登录门户或代理，而不是 API 本身；请在设置中检查。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="667"/>
        <source>an unknown content type</source>
        <translation>未知的内容类型</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="675"/>
        <source>The server answered HTTP %1: %2</source>
        <translation>服务器返回 HTTP %1：%2</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="677"/>
        <source>The server answered HTTP %1 (%2).</source>
        <translation>服务器返回 HTTP %1（%2）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="679"/>
        <source>The server answered HTTP %1.</source>
        <translation>服务器返回 HTTP %1。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="689"/>
        <source>The request was redirected to %1, and Sluice does not send the API key to another address; if that is the right server, set it as the base URL.</source>
        <translation>请求被重定向到 %1，而 Sluice 不会把 API 密钥发送到其他地址；如果那才是正确的服务器，请将其设为 API 地址。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="709"/>
        <source>The server sent nothing for %1 seconds, so the reply was stopped.</source>
        <translation>服务器已有 %1 秒未发送任何数据，回复已停止。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="715"/>
        <source>The connection to %1 was lost before the reply was complete (%2).</source>
        <translation>与 %1 的连接在回复完成前断开（%2）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="718"/>
        <source>The stream ended in the middle of an event, before the reply was complete.</source>
        <translation>数据流在某个事件中途结束，回复未完成。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="720"/>
        <source>The server ended the stream before the reply was complete.</source>
        <translation>服务器在回复完成前结束了数据流。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="722"/>
        <source>The server ended the stream without sending a reply.</source>
        <translation>服务器结束了数据流，但没有发送任何回复。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="731"/>
        <source>Could not open a secure connection to %1. %2</source>
        <translation>无法与 %1 建立安全连接。%2</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="736"/>
        <source>Could not connect to %1: connection refused.</source>
        <translation>无法连接到 %1：连接被拒绝。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="738"/>
        <source>Could not find the server %1; check the address and the internet connection.</source>
        <translation>找不到服务器 %1；请检查地址和网络连接。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="740"/>
        <source>%1 closed the connection before answering.</source>
        <translation>%1 在响应前关闭了连接。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="742"/>
        <source>The connection to %1 timed out.</source>
        <translation>与 %1 的连接超时。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="744"/>
        <source>Could not open a secure connection to %1: the TLS handshake failed (%2). This is usually a certificate problem.</source>
        <translation>无法与 %1 建立安全连接：TLS 握手失败（%2）。这通常是证书问题。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="749"/>
        <source>The network is not available; check the internet connection.</source>
        <translation>网络不可用；请检查网络连接。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="754"/>
        <source>Could not go through the proxy server (%1); check the proxy settings.</source>
        <translation>无法通过代理服务器（%1）；请检查代理设置。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="756"/>
        <source>The proxy server asks for a user name and password.</source>
        <translation>代理服务器要求提供用户名和密码。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="760"/>
        <source>The connection to %1 failed: %2.</source>
        <translation>与 %1 的连接失败：%2。</translation>
    </message>
    <message>
        <location filename="../app/core/net/chatclient.cpp" line="803"/>
        <source>Gave up after %1 attempts.</source>
        <translation>尝试 %1 次后已放弃。</translation>
    </message>
</context>
<context>
    <name>ChatSettingsPanel</name>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="48"/>
        <source>&amp;Temperature</source>
        <translation>温度(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="51"/>
        <source>&amp;Max tokens</source>
        <translation>最大 Token 数(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="54"/>
        <source>Chat settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="59"/>
        <source>&amp;System prompt</source>
        <translation>系统提示词(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="61"/>
        <source>For example: You are a concise assistant. Answer in English.</source>
        <translation>例如：你是一个简洁的助手。请用中文回答。</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="62"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="66"/>
        <source>Set the temperature</source>
        <translation>设置温度</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="67"/>
        <location filename="../ui/chatsettingspanel.cpp" line="76"/>
        <source>Off: the server&apos;s default</source>
        <translation>关闭：使用服务器默认值</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="69"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="73"/>
        <source>Temperature value</source>
        <translation>温度值</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="75"/>
        <source>Limit the reply length</source>
        <translation>限制回复长度</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="80"/>
        <source>Max tokens</source>
        <translation>最大 Token 数</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="94"/>
        <source>Low values give focused, repeatable answers; high values more varied ones.</source>
        <translation>值越低，回答越集中、越稳定；值越高，回答越多样。</translation>
    </message>
    <message>
        <location filename="../ui/chatsettingspanel.cpp" line="99"/>
        <source>These apply to this chat and become the defaults for new chats.</source>
        <translation>这些设置应用于当前对话，并作为新对话的默认值。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../ui/composer.cpp" line="33"/>
        <source>Composer</source>
        <translation>消息输入区</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="37"/>
        <source>Editing an earlier message — Enter sends it again, Esc cancels</source>
        <translation>正在编辑之前的消息：按 Enter 重新发送，按 Esc 取消</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="41"/>
        <location filename="../ui/composer.cpp" line="42"/>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="51"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="52"/>
        <source>Enter sends the message, Shift+Enter starts a new line, Esc stops a reply</source>
        <translation>按 Enter 发送消息，按 Shift+Enter 换行，按 Esc 停止回复</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="53"/>
        <source>Message the model…</source>
        <translation>给模型发消息…</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="75"/>
        <source>Enter to send · Shift+Enter for a new line · Esc to stop</source>
        <translation>Enter 发送 · Shift+Enter 换行 · Esc 停止</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="229"/>
        <location filename="../ui/composer.cpp" line="232"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="231"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="235"/>
        <location filename="../ui/composer.cpp" line="238"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../ui/composer.cpp" line="237"/>
        <source>Send the message (Enter)</source>
        <translation>发送消息（Enter）</translation>
    </message>
</context>
<context>
    <name>ConnectionTester</name>
    <message>
        <location filename="../app/core/net/connectiontester.cpp" line="29"/>
        <source>%1 did not answer within 1 second.</source>
        <translation>%1 未在 1 秒内响应。</translation>
    </message>
    <message>
        <location filename="../app/core/net/connectiontester.cpp" line="30"/>
        <source>%1 did not answer within %2 seconds.</source>
        <translation>%1 未在 %2 秒内响应。</translation>
    </message>
    <message>
        <location filename="../app/core/net/connectiontester.cpp" line="43"/>
        <source>%1 (through the proxy %2:%3)</source>
        <translation>%1（经由代理 %2:%3）</translation>
    </message>
    <message>
        <location filename="../app/core/net/connectiontester.cpp" line="57"/>
        <source>Connected — the server lists no models</source>
        <translation>已连接，但服务器未列出任何模型</translation>
    </message>
    <message>
        <location filename="../app/core/net/connectiontester.cpp" line="59"/>
        <source>Connected — 1 model</source>
        <translation>已连接，共 1 个模型</translation>
    </message>
    <message>
        <location filename="../app/core/net/connectiontester.cpp" line="60"/>
        <source>Connected — %1 models</source>
        <translation>已连接，共 %1 个模型</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="67"/>
        <source>now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="69"/>
        <source>%1 min</source>
        <comment>minutes ago, short</comment>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="81"/>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="85"/>
        <source>d MMM</source>
        <comment>QDate format of a day earlier this year</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="189"/>
        <source>1 message</source>
        <translation>1 条消息</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversationdelegate.cpp" line="189"/>
        <source>%n messages</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="210"/>
        <source>Conversation title</source>
        <translation>对话标题</translation>
    </message>
    <message>
        <location filename="../ui/conversationdelegate.cpp" line="211"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
</context>
<context>
    <name>ConversationExport</name>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="80"/>
        <source>“%1” must be text</source>
        <translation>“%1”必须是文本</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="91"/>
        <source>“%1” is not a date and time (%2)</source>
        <translation>“%1”不是有效的日期时间（%2）</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="101"/>
        <source>“%1” must be a number</source>
        <translation>“%1”必须是数字</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="113"/>
        <source>“%1” must be an object</source>
        <translation>“%1”必须是对象</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="147"/>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="149"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="151"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="153"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="155"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="157"/>
        <source>Max tokens</source>
        <translation>最大 Token 数</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="161"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="164"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="170"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="173"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="176"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="191"/>
        <source>Reasoning</source>
        <translation>推理过程</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="202"/>
        <source>Still arriving when this was exported.</source>
        <translation>导出时此回复仍在接收中。</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="205"/>
        <source>Stopped by the user.</source>
        <translation>已被用户停止。</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="208"/>
        <source>The connection ended before the reply was complete.</source>
        <translation>回复完成前连接已断开。</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="211"/>
        <source>Failed.</source>
        <translation>失败。</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="214"/>
        <source>Interrupted: Sluice ended while this reply was arriving.</source>
        <translation>已中断：接收此回复时 Sluice 已退出。</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="224"/>
        <source>%1 prompt + %2 completion tokens</source>
        <translation>输入 %1 Token + 输出 %2 Token</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="228"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/秒</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="230"/>
        <source>first token after %1 ms</source>
        <translation>首 Token 延迟 %1 毫秒</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="285"/>
        <source>The file cannot be imported: %1.</source>
        <translation>无法导入该文件：%1。</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="292"/>
        <source>it is not valid JSON (%1 at byte %2)</source>
        <translation>它不是有效的 JSON（第 %2 字节处：%1）</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="297"/>
        <source>it is not a conversation exported by Sluice</source>
        <translation>它不是由 Sluice 导出的对话</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="301"/>
        <source>it has no valid format version</source>
        <translation>它没有有效的格式版本</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="303"/>
        <source>it was exported by a newer version of Sluice (format %1; this version reads up to %2)</source>
        <translation>它由更新版本的 Sluice 导出（格式 %1；此版本最高只能读取格式 %2）</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="321"/>
        <source>“max_tokens” must be a whole number</source>
        <translation>“max_tokens”必须是整数</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="332"/>
        <source>it has no list of messages</source>
        <translation>它没有消息列表</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="336"/>
        <source>message %1</source>
        <translation>第 %1 条消息</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="338"/>
        <source>%1 is not an object</source>
        <translation>%1不是对象</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="346"/>
        <source>unknown role “%1”</source>
        <translation>未知的角色“%1”</translation>
    </message>
    <message>
        <location filename="../app/core/store/conversationexport.cpp" line="353"/>
        <source>unknown state “%1”</source>
        <translation>未知的状态“%1”</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="53"/>
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="58"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="60"/>
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="69"/>
        <source>1 message</source>
        <translation>1 条消息</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="60"/>
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="69"/>
        <source>%n messages</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/core/chat/conversationlistmodel.cpp" line="71"/>
        <source>replying</source>
        <translation>正在回复</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="199"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="200"/>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="210"/>
        <source>Conversations sidebar</source>
        <translation>对话侧边栏</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="215"/>
        <location filename="../ui/conversationsidebar.cpp" line="216"/>
        <source>Search all messages</source>
        <translation>搜索所有消息</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="222"/>
        <location filename="../ui/conversationsidebar.cpp" line="223"/>
        <location filename="../ui/conversationsidebar.cpp" line="830"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="229"/>
        <source>No conversations yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="238"/>
        <source>Deleted conversation</source>
        <translation>已删除的对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="243"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="244"/>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="315"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="315"/>
        <source>Open the conversation</source>
        <translation>打开此对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="316"/>
        <source>New Conversation</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="316"/>
        <source>Start a new conversation</source>
        <translation>开始新对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="318"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="318"/>
        <source>Rename the conversation</source>
        <translation>重命名此对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="321"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="321"/>
        <source>Delete the conversation (it can be undone for a few seconds)</source>
        <translation>删除此对话（几秒钟内可撤销）</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="325"/>
        <source>Copy as Markdown</source>
        <translation>复制为 Markdown</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="325"/>
        <source>Copy the whole conversation as Markdown</source>
        <translation>将整个对话复制为 Markdown</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="328"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="328"/>
        <source>Save the conversation as a Markdown file</source>
        <translation>将此对话保存为 Markdown 文件</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="329"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="329"/>
        <source>Save the conversation as a JSON file to import later</source>
        <translation>将此对话保存为 JSON 文件，以便日后导入</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="330"/>
        <source>Import JSON…</source>
        <translation>导入 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="330"/>
        <source>Import a conversation exported as JSON</source>
        <translation>导入以 JSON 格式导出的对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="693"/>
        <location filename="../ui/conversationsidebar.cpp" line="729"/>
        <source>No messages match “%1”</source>
        <translation>没有与“%1”匹配的消息</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="760"/>
        <source>Conversation restored</source>
        <translation>对话已恢复</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversationsidebar.cpp" line="761"/>
        <source>%n conversations restored</source>
        <translation>
            <numerusform>已恢复 %n 个对话</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="780"/>
        <location filename="../ui/conversationsidebar.cpp" line="840"/>
        <location filename="../ui/conversationsidebar.cpp" line="852"/>
        <source>The history is not open.</source>
        <translation>历史记录未打开。</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="781"/>
        <source>Could not delete “%1”: %2</source>
        <translation>无法删除“%1”：%2</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="797"/>
        <source>Deleted “%1”</source>
        <translation>已删除“%1”</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversationsidebar.cpp" line="799"/>
        <source>Deleted %n conversations</source>
        <translation>
            <numerusform>已删除 %n 个对话</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="867"/>
        <source>Could not export the conversation: %1</source>
        <translation>无法导出对话：%1</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="873"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="876"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="889"/>
        <source>Could not import %1: the history is not open.</source>
        <translation>无法导入 %1：历史记录未打开。</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="892"/>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="894"/>
        <source>%1 is too large to be a conversation file (more than %2 MB).</source>
        <translation>%1 太大，不可能是对话文件（超过 %2 MB）。</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="901"/>
        <source>Could not import %1: %2</source>
        <translation>无法导入 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="907"/>
        <source>Imported “%1”</source>
        <translation>已导入“%1”</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="920"/>
        <source>Could not copy the conversation: %1</source>
        <translation>无法复制对话：%1</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="927"/>
        <source>Copied “%1” as Markdown</source>
        <translation>已将“%1”复制为 Markdown</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="961"/>
        <source>Export as Markdown</source>
        <translation>导出为 Markdown</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="961"/>
        <source>Export as JSON</source>
        <translation>导出为 JSON</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="963"/>
        <source>Markdown (*.md *.markdown)</source>
        <translation>Markdown 文件 (*.md *.markdown)</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="963"/>
        <source>Sluice conversation (*.json)</source>
        <translation>Sluice 对话 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="981"/>
        <source>Import Conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../ui/conversationsidebar.cpp" line="982"/>
        <source>Sluice conversation (*.json);;All files (*)</source>
        <translation>Sluice 对话 (*.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="106"/>
        <source>The folder for the history, %1, cannot be created.</source>
        <translation>无法创建历史记录文件夹 %1。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="109"/>
        <source>The history file %1 does not exist.</source>
        <translation>历史记录文件 %1 不存在。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="117"/>
        <source>The history cannot be opened: the SQLite driver of Qt (QSQLITE) is missing.</source>
        <translation>无法打开历史记录：缺少 Qt 的 SQLite 驱动（QSQLITE）。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="126"/>
        <location filename="../app/core/store/historystore.cpp" line="141"/>
        <source>Could not open the history file %1.</source>
        <translation>无法打开历史记录文件 %1。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="152"/>
        <source>The history file %1 was written by a newer version of Sluice (schema %2; this version knows up to %3). It was not opened and not changed; update Sluice to use it.</source>
        <translation>历史记录文件 %1 由更新版本的 Sluice 写入（结构版本 %2；此版本最高支持 %3）。该文件未被打开，也未被修改；请更新 Sluice 后再使用。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="165"/>
        <source>The history file %1 needs an upgrade, which cannot be done while it is opened read-only.</source>
        <translation>历史记录文件 %1 需要升级，但以只读方式打开时无法升级。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="205"/>
        <source>Could not upgrade the history file %1; it was left as it was.</source>
        <translation>无法升级历史记录文件 %1；文件保持原样。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="226"/>
        <source>The history file %1 was upgraded by a newer version of Sluice meanwhile.</source>
        <translation>历史记录文件 %1 在此期间已被更新版本的 Sluice 升级。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="232"/>
        <source>Could not upgrade the history file %1 from version %2 to %3; it was left as it was.</source>
        <translation>无法将历史记录文件 %1 从版本 %2 升级到 %3；文件保持原样。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="268"/>
        <source>Could not back up the history file to %1 before upgrading it; it was left as it was.</source>
        <translation>升级前无法将历史记录文件备份到 %1；文件保持原样。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="325"/>
        <source>The history file is not open.</source>
        <translation>历史记录文件未打开。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="335"/>
        <source>The history file is locked by another program (perhaps another copy of Sluice); try again in a moment.</source>
        <translation>历史记录文件被另一个程序锁定（可能是另一个正在运行的 Sluice）；请稍后重试。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="339"/>
        <source>The history file is read-only, so nothing can be saved to it.</source>
        <translation>历史记录文件是只读的，无法保存任何内容。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="342"/>
        <source>The disk is full; free some space and try again.</source>
        <translation>磁盘已满；请释放一些空间后重试。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="345"/>
        <source>The file is damaged or is not a Sluice history file.</source>
        <translation>文件已损坏，或不是 Sluice 历史记录文件。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="348"/>
        <source>Check that its folder exists and can be written to.</source>
        <translation>请检查其所在文件夹是否存在且可写入。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="351"/>
        <source>The disk could not read or write the file.</source>
        <translation>磁盘无法读取或写入该文件。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="352"/>
        <source>SQLite reported: %1.</source>
        <translation>SQLite 报告：%1。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="384"/>
        <source>The message no longer exists.</source>
        <translation>该消息已不存在。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="385"/>
        <source>The conversation no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="390"/>
        <source>Could not mark the replies cut off last time as interrupted.</source>
        <translation>无法将上次被切断的回复标记为已中断。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="423"/>
        <source>Could not save the new conversation.</source>
        <translation>无法保存新对话。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="431"/>
        <location filename="../app/core/store/historystore.cpp" line="565"/>
        <source>Could not save the conversation&apos;s settings.</source>
        <translation>无法保存对话设置。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="446"/>
        <source>Could not rename the conversation.</source>
        <translation>无法重命名对话。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="456"/>
        <source>Could not delete the conversation.</source>
        <translation>无法删除对话。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="471"/>
        <source>Could not load the conversation.</source>
        <translation>无法加载对话。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="502"/>
        <source>Could not load the list of conversations.</source>
        <translation>无法加载对话列表。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="533"/>
        <source>Could not count the conversations.</source>
        <translation>无法统计对话数量。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="546"/>
        <source>Could not load the conversation&apos;s settings.</source>
        <translation>无法加载对话设置。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="578"/>
        <location filename="../app/core/store/historystore.cpp" line="629"/>
        <source>Could not save the message.</source>
        <translation>无法保存消息。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="660"/>
        <source>Could not delete the messages.</source>
        <translation>无法删除消息。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="681"/>
        <source>Could not load the conversation&apos;s messages.</source>
        <translation>无法加载对话中的消息。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="704"/>
        <source>Could not count the conversation&apos;s messages.</source>
        <translation>无法统计对话中的消息数量。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="720"/>
        <source>Could not import the conversation.</source>
        <translation>无法导入对话。</translation>
    </message>
    <message>
        <location filename="../app/core/store/historystore.cpp" line="754"/>
        <source>Could not search the history.</source>
        <translation>无法搜索历史记录。</translation>
    </message>
</context>
<context>
    <name>JsonReader</name>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1230"/>
        <source>The JSON text ends too early.</source>
        <translation>JSON 文本过早结束。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1233"/>
        <source>Unexpected character in the JSON text.</source>
        <translation>JSON 文本中有意外的字符。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1236"/>
        <source>Invalid literal (expected true, false or null).</source>
        <translation>无效的字面量（应为 true、false 或 null）。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1239"/>
        <source>Invalid number.</source>
        <translation>无效的数字。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1242"/>
        <source>Number out of range.</source>
        <translation>数字超出范围。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1245"/>
        <source>Unescaped control character in a string.</source>
        <translation>字符串中有未转义的控制字符。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1248"/>
        <source>Invalid escape sequence in a string.</source>
        <translation>字符串中有无效的转义序列。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1251"/>
        <source>Invalid UTF-8 in a string.</source>
        <translation>字符串中有无效的 UTF-8 字符。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1254"/>
        <source>The JSON text is nested too deeply.</source>
        <translation>JSON 文本嵌套过深。</translation>
    </message>
    <message>
        <location filename="../app/core/api/jsonreader.cpp" line="1257"/>
        <source>Unexpected data after the JSON value.</source>
        <translation>JSON 值之后有多余的数据。</translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <location filename="../app/core/secrets/keychainsecretstore.cpp" line="86"/>
        <source>the system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <location filename="../app/core/secrets/keychainsecretstore.cpp" line="149"/>
        <source>No key is stored in the system keychain for this endpoint.</source>
        <translation>系统钥匙串中没有为此端点保存的密钥。</translation>
    </message>
    <message>
        <location filename="../app/core/secrets/keychainsecretstore.cpp" line="155"/>
        <source>The system keychain did not allow access to the key. Unlock the keychain or allow Sluice to use it, then try again.</source>
        <translation>系统钥匙串拒绝访问该密钥。请解锁钥匙串或允许 Sluice 使用它，然后重试。</translation>
    </message>
    <message>
        <location filename="../app/core/secrets/keychainsecretstore.cpp" line="160"/>
        <source>The system keychain reported an error.</source>
        <translation>系统钥匙串报告了错误。</translation>
    </message>
    <message>
        <location filename="../app/core/secrets/keychainsecretstore.cpp" line="161"/>
        <source>The system keychain reported an error: %1</source>
        <translation>系统钥匙串报告了错误：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="58"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="66"/>
        <source>What shall we talk about?</source>
        <translation>今天想聊点什么？</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="70"/>
        <source>Add an API key…</source>
        <translation>添加 API 密钥…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="72"/>
        <source>Open Settings to add an API key</source>
        <translation>打开设置以添加 API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="81"/>
        <source>Show me some Python code that streams a reply</source>
        <translation>给我看一段流式接收回复的 Python 代码</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="82"/>
        <source>Compare native and Electron apps in a table</source>
        <translation>用表格比较原生应用和 Electron 应用</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="83"/>
        <source>Give me tips for writing better prompts</source>
        <translation>给我一些写好提示词的技巧</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="84"/>
        <source>Solve a logic puzzle and show your thinking</source>
        <translation>解一道逻辑谜题，并展示你的思考过程</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="129"/>
        <location filename="../ui/mainwindow.cpp" line="756"/>
        <source>Looking up the API key…</source>
        <translation>正在查找 API 密钥…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="131"/>
        <source>You are using the offline demo: prepared answers, streamed through the same path as a real model. Try Stop (Esc) and watch the metrics. Add an API key to talk to a real model.</source>
        <translation>你正在使用离线演示：回答是预先准备好的，但会经由与真实模型相同的流式路径传输。试试“停止”（Esc），并留意各项指标。添加 API 密钥即可与真实模型对话。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="135"/>
        <source>Messages go to %1, answered by %2.</source>
        <translation>消息将发送到 %1，由 %2 回答。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="178"/>
        <location filename="../ui/mainwindow.cpp" line="951"/>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="226"/>
        <source>&amp;New Chat</source>
        <translation>新建对话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="228"/>
        <source>New Chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="229"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="232"/>
        <source>&amp;Stop Reply</source>
        <translation>停止回复(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="237"/>
        <source>&amp;Focus Input</source>
        <translation>聚焦输入框(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="241"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="242"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="249"/>
        <source>Endpoint, API key, network and appearance (Ctrl+,)</source>
        <translation>端点、API 密钥、网络和外观（Ctrl+,）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="252"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="257"/>
        <source>Edit &amp;Prices…</source>
        <translation>编辑价格(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="258"/>
        <source>&amp;About Sluice</source>
        <translation>关于 Sluice(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="261"/>
        <source>About Sluice</source>
        <translation>关于 Sluice</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="262"/>
        <source>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;A native desktop client for streaming LLM APIs.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;一款用于流式 LLM API 的原生桌面客户端。&lt;/p&gt;&lt;p&gt;基于 Qt %2 构建。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="272"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="278"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="288"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="340"/>
        <source>Copied %1</source>
        <translation>已复制%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="347"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="370"/>
        <location filename="../ui/mainwindow.cpp" line="392"/>
        <source>Chat Settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="383"/>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="393"/>
        <source>System prompt, temperature and max tokens of this chat</source>
        <translation>此对话的系统提示词、温度和最大 Token 数</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="396"/>
        <source>Time to first token, speed, cost of the last reply</source>
        <translation>上一条回复的首 Token 延迟、速度和费用</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="408"/>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="416"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="423"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="433"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="465"/>
        <source>Search Conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="513"/>
        <source>The offline demo could not start (%1). Add an API key in Settings to use a real endpoint.</source>
        <translation>离线演示无法启动（%1）。请在设置中添加 API 密钥，以使用真实的端点。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="555"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="556"/>
        <source>Looking up the API key</source>
        <translation>正在查找 API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="559"/>
        <source>Demo (offline)</source>
        <translation>演示（离线）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="560"/>
        <source>Requests go to the built-in offline demo endpoint (prepared answers, no API key needed). Click to open Settings and add a key.</source>
        <translation>请求将发送到内置的离线演示端点（预先准备的回答，无需 API 密钥）。点击可打开设置并添加密钥。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="570"/>
        <source>Nothing is sent to %1: it is unencrypted http:// and not allowed in Settings. Click to open Settings.</source>
        <translation>不会向 %1 发送任何内容：它使用未加密的 http://，且尚未在设置中允许。点击打开设置。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="572"/>
        <source>Requests go to %1</source>
        <translation>请求将发送到 %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="582"/>
        <source>Endpoint: %1</source>
        <translation>端点：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="650"/>
        <source>A reply in another chat failed: %1</source>
        <translation>另一个对话中的回复失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="656"/>
        <source>Retrying in %1 s… (%2)</source>
        <translation>%1 秒后重试…（%2）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="709"/>
        <source>This conversation could not be opened from the history.</source>
        <translation>无法从历史记录中打开此对话。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="819"/>
        <source>The reply failed.</source>
        <translation>回复失败。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="821"/>
        <location filename="../ui/mainwindow.cpp" line="871"/>
        <source>Open Settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="824"/>
        <source>Try Again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="860"/>
        <source>Nothing is sent to %1: it is unencrypted http://, so anyone on the way could read your messages and your API key. Use https://, or start Sluice with --allow-insecure-http if you trust the network to this host.</source>
        <translation>不会向 %1 发送任何内容：它使用未加密的 http://，途经的任何人都能读到你的消息和 API 密钥。请改用 https://；如果你信任通往该主机的网络，也可以用 --allow-insecure-http 启动 Sluice。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="867"/>
        <source>Nothing is sent to %1: it is unencrypted http://, so anyone on the way could read your messages and your API key. Use https://, or allow unencrypted http:// to this host in Settings.</source>
        <translation>不会向 %1 发送任何内容：它使用未加密的 http://，传输途中的任何人都能读取你的消息和 API 密钥。请使用 https://，或在设置中允许对此主机使用未加密的 http://。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="951"/>
        <source>%1 — Sluice</source>
        <translation>%1 — Sluice</translation>
    </message>
</context>
<context>
    <name>MarkdownRenderer</name>
    <message>
        <location filename="../ui/markdownrenderer.cpp" line="860"/>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../ui/markdownrenderer.cpp" line="889"/>
        <location filename="../ui/markdownrenderer.cpp" line="948"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../ui/markdownrenderer.cpp" line="890"/>
        <location filename="../ui/markdownrenderer.cpp" line="947"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>MemorySecretStore</name>
    <message>
        <location filename="../app/core/secrets/memorysecretstore.cpp" line="16"/>
        <source>memory (this session only)</source>
        <translation>内存（仅限本次会话）</translation>
    </message>
    <message>
        <location filename="../app/core/secrets/memorysecretstore.cpp" line="36"/>
        <source>No key is stored for %1.</source>
        <translation>没有为 %1 保存的密钥。</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <location filename="../ui/messagebanner.cpp" line="78"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/messagebanner.cpp" line="93"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/messagebanner.cpp" line="94"/>
        <source>Close message</source>
        <translation>关闭消息</translation>
    </message>
</context>
<context>
    <name>MessageLayout</name>
    <message numerus="yes">
        <location filename="../ui/messagelayout.cpp" line="274"/>
        <source>%n tokens</source>
        <translation>
            <numerusform>%n 个 Token</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="276"/>
        <source>%1 tok/s</source>
        <translation>%1 Token/秒</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="278"/>
        <source>first token %1 s</source>
        <translation>首 Token %1 秒</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="332"/>
        <location filename="../ui/messagelayout.cpp" line="368"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="334"/>
        <source>Connection lost — partial reply</source>
        <translation>连接中断，回复不完整</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="336"/>
        <location filename="../ui/messagelayout.cpp" line="372"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="338"/>
        <source>Interrupted — partial reply</source>
        <translation>已中断，回复不完整</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="350"/>
        <source>You stopped this reply.</source>
        <translation>你停止了此回复。</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="352"/>
        <source>The stream ended before the reply was complete.</source>
        <translation>回复完成前数据流已结束。</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="354"/>
        <source>The request failed.</source>
        <translation>请求失败。</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="356"/>
        <source>Sluice closed while this reply was streaming.</source>
        <translation>接收此回复时 Sluice 已关闭。</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="366"/>
        <source>Generating</source>
        <translation>生成中</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="370"/>
        <source>Partial</source>
        <translation>不完整</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="374"/>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="407"/>
        <location filename="../ui/messagelayout.cpp" line="562"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="407"/>
        <location filename="../ui/messagelayout.cpp" line="562"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="415"/>
        <location filename="../ui/messagelayout.cpp" line="526"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="416"/>
        <location filename="../ui/messagelayout.cpp" line="565"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="424"/>
        <location filename="../ui/messagelayout.cpp" line="537"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="424"/>
        <location filename="../ui/messagelayout.cpp" line="537"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="437"/>
        <location filename="../ui/messagelayout.cpp" line="599"/>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="437"/>
        <location filename="../ui/messagelayout.cpp" line="599"/>
        <source>Thinking</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="462"/>
        <location filename="../ui/messagelayout.cpp" line="673"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="789"/>
        <source>Copy this message</source>
        <translation>复制此消息</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="791"/>
        <source>Edit this message and send it again</source>
        <translation>编辑此消息并重新发送</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="793"/>
        <source>Ask for this reply again</source>
        <translation>重新生成此回复</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="795"/>
        <source>Hide the model&apos;s reasoning</source>
        <translation>隐藏模型的思考过程</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="795"/>
        <source>Show the model&apos;s reasoning</source>
        <translation>显示模型的思考过程</translation>
    </message>
    <message>
        <location filename="../ui/messagelayout.cpp" line="797"/>
        <source>Copy this code block</source>
        <translation>复制此代码块</translation>
    </message>
</context>
<context>
    <name>MetricsPanel</name>
    <message>
        <location filename="../ui/metricspanel.cpp" line="144"/>
        <source>● Streaming</source>
        <translation>● 接收中</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="146"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="148"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="150"/>
        <source>Cut off</source>
        <translation>已截断</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="152"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="154"/>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="155"/>
        <source>No reply yet</source>
        <translation>尚无回复</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="169"/>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="180"/>
        <source>Reply state</source>
        <translation>回复状态</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="185"/>
        <source>Time to first token</source>
        <translation>首 Token 延迟</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="185"/>
        <source>From sending the request to the first token</source>
        <translation>从发送请求到收到首个 Token 的时间</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="186"/>
        <source>Tokens/s</source>
        <translation>Token/秒</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="186"/>
        <source>Tokens per second since the first token</source>
        <translation>从首个 Token 起每秒生成的 Token 数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="187"/>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="188"/>
        <source>Completion tokens: from the server&apos;s usage report when it sends one, else counted deltas</source>
        <translation>输出 Token 数：服务器发送了用量报告时取自该报告，否则为本地统计的增量数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="189"/>
        <source>Elapsed</source>
        <translation>总耗时</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="189"/>
        <source>From sending the request to the end of the reply</source>
        <translation>从发送请求到回复结束的时间</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="190"/>
        <source>Gap p50</source>
        <translation>间隔 p50</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="190"/>
        <source>Median time between two tokens</source>
        <translation>相邻两个 Token 之间时间间隔的中位数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="191"/>
        <source>Gap p99</source>
        <translation>间隔 p99</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="191"/>
        <source>99th percentile of the time between two tokens</source>
        <translation>相邻两个 Token 之间时间间隔的第 99 百分位数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="192"/>
        <source>Received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="192"/>
        <source>Bytes of the response body</source>
        <translation>响应正文的字节数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="193"/>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="193"/>
        <source>How many times the request was sent again</source>
        <translation>请求被重新发送的次数</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="194"/>
        <source>Estimated cost</source>
        <translation>预估费用</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="195"/>
        <source>Prompt and completion tokens at the prices in the price table (Edit prices…)</source>
        <translation>按价格表中的价格计算的输入和输出 Token 费用（编辑价格…）</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="201"/>
        <source>Tokens/s over the reply</source>
        <translation>回复过程中的 Token/秒</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="210"/>
        <source>Edit prices…</source>
        <translation>编辑价格…</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="213"/>
        <source>Edit prices</source>
        <translation>编辑价格</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="214"/>
        <source>Edit the price per million tokens of each model</source>
        <translation>编辑各模型每百万 Token 的价格</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="367"/>
        <source>No price is known for this model; add one with Edit prices…</source>
        <translation>此模型的价格未知；可通过“编辑价格…”添加。</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="371"/>
        <source>peak %1</source>
        <translation>峰值 %1</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="388"/>
        <location filename="../ui/metricspanel.cpp" line="390"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="392"/>
        <location filename="../ui/metricspanel.cpp" line="394"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="396"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="403"/>
        <source>%1 (usage)</source>
        <translation>%1（用量报告）</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="405"/>
        <source>%1 (counted)</source>
        <translation>%1（本地统计）</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="413"/>
        <source>%1 tok/s</source>
        <translation>%1 Token/秒</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="419"/>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
</context>
<context>
    <name>ModelCatalog</name>
    <message>
        <location filename="../app/core/net/modelcatalog.cpp" line="76"/>
        <source>Could not load the model list: %1</source>
        <translation>无法加载模型列表：%1</translation>
    </message>
    <message>
        <location filename="../app/core/net/modelcatalog.cpp" line="83"/>
        <source>The server refused the model list (HTTP %1): %2</source>
        <translation>服务器拒绝提供模型列表（HTTP %1）：%2</translation>
    </message>
    <message>
        <location filename="../app/core/net/modelcatalog.cpp" line="91"/>
        <source>The server&apos;s answer to /models is not a model list.</source>
        <translation>服务器对 /models 的响应不是模型列表。</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../ui/modelpicker.cpp" line="21"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/modelpicker.cpp" line="22"/>
        <source>The model that answers; pick one or type any model id</source>
        <translation>负责回答的模型；可从列表中选择，也可输入任意模型 ID</translation>
    </message>
    <message>
        <location filename="../ui/modelpicker.cpp" line="23"/>
        <location filename="../ui/modelpicker.cpp" line="24"/>
        <source>Model id</source>
        <translation>模型 ID</translation>
    </message>
    <message>
        <location filename="../ui/modelpicker.cpp" line="115"/>
        <source>Listed by %1</source>
        <translation>由 %1 列出</translation>
    </message>
</context>
<context>
    <name>OpenAiChatFormat</name>
    <message>
        <location filename="../app/core/api/openaichatformat.cpp" line="621"/>
        <location filename="../app/core/api/openaichatformat.cpp" line="769"/>
        <location filename="../app/core/api/openaichatformat.cpp" line="799"/>
        <source>The server reported an error without details.</source>
        <translation>服务器报告了错误，但未提供详细信息。</translation>
    </message>
</context>
<context>
    <name>PriceEditorDialog</name>
    <message>
        <location filename="../ui/metricspanel.cpp" line="57"/>
        <location filename="../ui/metricspanel.cpp" line="58"/>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="59"/>
        <source>Prices in US dollars per million tokens. Model ids match exactly or by prefix (“gpt-4o” also prices “gpt-4o-2024-08-06”).</source>
        <translation>价格单位为美元/百万 Token。模型 ID 按完全匹配或前缀匹配（“gpt-4o”的价格也适用于“gpt-4o-2024-08-06”）。</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="63"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="63"/>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="63"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="68"/>
        <source>Price table</source>
        <translation>价格表</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="71"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="72"/>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/metricspanel.cpp" line="73"/>
        <source>Restore &amp;defaults</source>
        <translation>恢复默认值(&amp;D)</translation>
    </message>
</context>
<context>
    <name>SearchResultsDelegate</name>
    <message>
        <location filename="../ui/searchresults.cpp" line="216"/>
        <source>In the title</source>
        <translation>标题匹配</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <location filename="../ui/searchresults.cpp" line="44"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/searchresults.cpp" line="50"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <location filename="../app/core/secrets/secretstore.cpp" line="7"/>
        <source>No system keychain is available on this computer, so the key is kept for this session only.</source>
        <translation>此计算机上没有可用的系统钥匙串，因此密钥仅在本次会话中保留。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="172"/>
        <source>HolySheep relay</source>
        <translation>HolySheep 中转</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="173"/>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="174"/>
        <source>OpenRouter</source>
        <translation>OpenRouter</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="175"/>
        <source>DeepSeek</source>
        <translation>DeepSeek</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="176"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="177"/>
        <source>LM Studio</source>
        <translation>LM Studio</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="178"/>
        <source>llama.cpp</source>
        <translation>llama.cpp</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="179"/>
        <source>Demo (offline)</source>
        <translation>演示（离线）</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="210"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="218"/>
        <source>Settings sections</source>
        <translation>设置分类</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="219"/>
        <source>&amp;Endpoint</source>
        <translation>端点(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="220"/>
        <source>&amp;Network</source>
        <translation>网络(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="221"/>
        <source>A&amp;ppearance</source>
        <translation>外观(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="225"/>
        <source>&amp;Test Connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="227"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="228"/>
        <location filename="../ui/settingsdialog.cpp" line="636"/>
        <source>Asks the endpoint for its model list, through the chosen proxy, with the key in the field or the saved one</source>
        <translation>通过所选代理，使用输入框中的密钥或已保存的密钥，向端点请求模型列表</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="235"/>
        <source>Working</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="285"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="288"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="295"/>
        <source>Answers from the built-in demo, without network</source>
        <translation>由内置演示回答，无需网络</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="299"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="305"/>
        <source>Base URL</source>
        <translation>API 地址</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="306"/>
        <source>https://api.example.com/v1</source>
        <translation>https://api.example.com/v1</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="315"/>
        <source>A&amp;llow unencrypted http:// to this host</source>
        <translation>允许对此主机使用未加密的 http://(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="317"/>
        <source>Allow unencrypted http:// to this host</source>
        <translation>允许对此主机使用未加密的 http://</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="325"/>
        <source>&amp;Service:</source>
        <translation>服务(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="326"/>
        <source>Base &amp;URL:</source>
        <translation>API 地址(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="332"/>
        <location filename="../ui/settingsdialog.cpp" line="335"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="336"/>
        <source>Show key</source>
        <translation>显示密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="336"/>
        <source>Hide key</source>
        <translation>隐藏密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="339"/>
        <source>&amp;Remove Key</source>
        <translation>删除密钥(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="341"/>
        <source>Remove the saved key</source>
        <translation>删除已保存的密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="342"/>
        <source>Deletes the key saved for this endpoint</source>
        <translation>删除为此端点保存的密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="354"/>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="371"/>
        <source>Timeouts and retries</source>
        <translation>超时与重试</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="377"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="381"/>
        <source>Connect timeout in seconds</source>
        <translation>连接超时（秒）</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="382"/>
        <source>How long to wait for the server to answer at all</source>
        <translation>等待服务器开始响应的最长时间</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="383"/>
        <source>Idle timeout in seconds</source>
        <translation>空闲超时（秒）</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="384"/>
        <source>How long a streaming reply may pause before Sluice gives up</source>
        <translation>流式回复最多可停顿多久，超过后 Sluice 将放弃</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="387"/>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="389"/>
        <source>None</source>
        <translation>不重试</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="391"/>
        <source>How often to try again when a request fails before the reply starts</source>
        <translation>请求在回复开始前失败时重试的次数</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="398"/>
        <source>&amp;Connect timeout:</source>
        <translation>连接超时(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="399"/>
        <source>&amp;Idle timeout:</source>
        <translation>空闲超时(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="400"/>
        <source>&amp;Retries:</source>
        <translation>重试次数(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="404"/>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="406"/>
        <source>Use the s&amp;ystem proxy settings</source>
        <translation>使用系统代理设置(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="407"/>
        <source>No pro&amp;xy</source>
        <translation>不使用代理(&amp;X)</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="408"/>
        <source>&amp;Manual proxy:</source>
        <translation>手动代理(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="412"/>
        <source>Use the system proxy settings</source>
        <translation>使用系统代理设置</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="413"/>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="414"/>
        <source>Manual proxy</source>
        <translation>手动代理</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="426"/>
        <source>Proxy type</source>
        <translation>代理类型</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="427"/>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="428"/>
        <source>SOCKS5</source>
        <translation>SOCKS5</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="431"/>
        <source>Proxy host</source>
        <translation>代理主机</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="432"/>
        <source>proxy.example.com</source>
        <translation>proxy.example.com</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="435"/>
        <source>Proxy port</source>
        <translation>代理端口</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="450"/>
        <source>Proxy user name</source>
        <translation>代理用户名</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="451"/>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="454"/>
        <source>Proxy password, for this session only</source>
        <translation>代理密码（仅限本次会话）</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="455"/>
        <source>For this session only — never saved</source>
        <translation>仅用于本次会话，不会保存</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="456"/>
        <source>Show password</source>
        <translation>显示密码</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="456"/>
        <source>Hide password</source>
        <translation>隐藏密码</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="461"/>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="465"/>
        <source>T&amp;ype:</source>
        <translation>类型(&amp;Y)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="466"/>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="467"/>
        <source>User na&amp;me:</source>
        <translation>用户名(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="468"/>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="487"/>
        <location filename="../ui/settingsdialog.cpp" line="490"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="491"/>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="492"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="493"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="495"/>
        <source>Sluice uses a new theme the next time it starts.</source>
        <translation>新主题将在 Sluice 下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="498"/>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="635"/>
        <source>The offline demo needs no connection</source>
        <translation>离线演示无需连接</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="644"/>
        <source>Replies come from the built-in demo: nothing is sent over the network and no key is needed.</source>
        <translation>回复来自内置演示：不会通过网络发送任何内容，也无需密钥。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="647"/>
        <source>Enter the address of an OpenAI-compatible API, such as https://api.openai.com/v1.</source>
        <translation>请输入兼容 OpenAI 的 API 地址，例如 https://api.openai.com/v1。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="650"/>
        <source>Enter an address that starts with https:// (or http:// for a server on this computer or your network).</source>
        <translation>请输入以 https:// 开头的地址（本机或局域网中的服务器可使用 http://）。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="654"/>
        <source>The user name, password or key in this address is removed when it is saved. Put the key in the API key field.</source>
        <translation>保存时会移除此地址中的用户名、密码或密钥。请将密钥填入“API 密钥”一栏。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="657"/>
        <source>Chat requests go to %1/chat/completions.</source>
        <translation>对话请求将发送到 %1/chat/completions。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="668"/>
        <source>Requests to %1 would not be encrypted: anyone on the way could read your messages and your API key. Use https:// if the server offers it.</source>
        <translation>发往 %1 的请求不会加密：传输途中的任何人都能读取你的消息和 API 密钥。如果服务器支持，请使用 https://。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="715"/>
        <source>The key store is not ready yet</source>
        <translation>密钥存储尚未就绪</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="717"/>
        <source>The demo needs no key</source>
        <translation>演示无需密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="719"/>
        <source>Enter a valid base URL first</source>
        <translation>请先输入有效的 API 地址</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="721"/>
        <source>Looking for a saved key…</source>
        <translation>正在查找已保存的密钥…</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="724"/>
        <source>%1 — saved in the system keychain; type to replace</source>
        <translation>%1（已保存在系统钥匙串中；输入新密钥可替换）</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="725"/>
        <source>%1 — kept for this session; type to replace</source>
        <translation>%1（仅在本次会话中保留；输入新密钥可替换）</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="727"/>
        <source>Paste the API key for this endpoint</source>
        <translation>粘贴此端点的 API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="732"/>
        <source>Sluice is still checking for a system keychain. Close this dialog and open it again in a moment to enter a key.</source>
        <translation>Sluice 仍在检查系统钥匙串。请关闭此对话框，稍后再打开以输入密钥。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="735"/>
        <source>Keys are kept in %1, never in the settings file.</source>
        <translation>密钥保存在%1中，绝不会写入设置文件。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="747"/>
        <source>%1 is set, so the key from the environment is used for this run. It is never saved; a key entered here is used once %1 is unset.</source>
        <translation>已设置 %1，因此本次运行使用环境变量中的密钥，该密钥不会被保存；取消设置 %1 后，才会使用在此输入的密钥。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="764"/>
        <source>Removing the key from %1…</source>
        <translation>正在从%1中删除密钥…</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="773"/>
        <source>The key for %1 was removed from %2.</source>
        <translation>已从%2中删除 %1 的密钥。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="777"/>
        <source>The key could not be removed: %1</source>
        <translation>无法删除密钥：%1</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="787"/>
        <source>Saving the key in %1…</source>
        <translation>正在将密钥保存到%1…</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="792"/>
        <source>The settings were saved, but the key was not: %1</source>
        <translation>设置已保存，但密钥未能保存：%1</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="806"/>
        <source>Settings saved. The key is stored in %1.</source>
        <translation>设置已保存。密钥存储在%1中。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="841"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="875"/>
        <source>The base URL is not a web address. Enter one that starts with https://, such as https://api.openai.com/v1.</source>
        <translation>API 地址不是有效的网址。请输入以 https:// 开头的地址，例如 https://api.openai.com/v1。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="880"/>
        <source>%1 would get your messages and your key unencrypted. Use https://, or allow unencrypted http:// to this host.</source>
        <translation>%1 将以未加密的方式收到你的消息和密钥。请使用 https://，或允许对此主机使用未加密的 http://。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="886"/>
        <source>Enter the host name of the manual proxy.</source>
        <translation>请输入手动代理的主机名。</translation>
    </message>
    <message>
        <location filename="../ui/settingsdialog.cpp" line="946"/>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
</context>
<context>
    <name>Sparkline</name>
    <message>
        <location filename="../ui/sparkline.cpp" line="36"/>
        <source>Tokens per second over the reply</source>
        <translation>回复过程中每秒的 Token 数</translation>
    </message>
    <message>
        <location filename="../ui/sparkline.cpp" line="45"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../ui/sparkline.cpp" line="46"/>
        <source>Peak %1 tokens per second</source>
        <translation>峰值每秒 %1 个 Token</translation>
    </message>
</context>
<context>
    <name>SseParser</name>
    <message>
        <location filename="../app/core/sse/sseparser.cpp" line="177"/>
        <source>The server sent an event larger than %1; the stream was stopped.</source>
        <translation>服务器发送的事件超过了 %1；数据流已停止。</translation>
    </message>
</context>
<context>
    <name>TlsErrors</name>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="99"/>
        <source>The server&apos;s certificate is not made out for %1; check the address.</source>
        <translation>服务器的证书不是颁发给 %1 的，请检查地址。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="103"/>
        <source>The server&apos;s certificate is for %1, not for %2; check the address.</source>
        <translation>服务器的证书属于 %1，而不是 %2，请检查地址。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="109"/>
        <source>The server&apos;s certificate has expired (or this computer&apos;s clock is wrong).</source>
        <translation>服务器的证书已过期（或者这台电脑的时钟不准）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="112"/>
        <source>The server&apos;s certificate expired on %1 (if that date is not in the past, check this computer&apos;s clock).</source>
        <translation>服务器的证书已于 %1 过期（如果这个日期并非过去，请检查这台电脑的时钟）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="118"/>
        <source>The server&apos;s certificate is not valid yet (or this computer&apos;s clock is wrong).</source>
        <translation>服务器的证书尚未生效（或者这台电脑的时钟不准）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="121"/>
        <source>The server&apos;s certificate is valid only from %1 (if that date is already past, check this computer&apos;s clock).</source>
        <translation>服务器的证书从 %1 起才生效（如果这个日期已经过去，请检查这台电脑的时钟）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="126"/>
        <source>The server&apos;s certificate was revoked: the authority that issued it has withdrawn it.</source>
        <translation>服务器的证书已被吊销：颁发它的机构已将其撤回。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="129"/>
        <source>The server&apos;s certificate is self-signed, not signed by an authority this computer trusts (a server that made its own certificate, or a proxy or antivirus that inspects HTTPS).</source>
        <translation>服务器的证书是自签名的，不是由这台电脑信任的机构签发（可能是服务器自己生成的证书，或是会检查 HTTPS 的代理或杀毒软件）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="134"/>
        <source>The server&apos;s certificate is not signed by an authority this computer trusts (a private CA, or a proxy or antivirus that inspects HTTPS).</source>
        <translation>服务器的证书不是由这台电脑信任的机构签发（可能是私有 CA，或是会检查 HTTPS 的代理或杀毒软件）。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="138"/>
        <source>The signature on the server&apos;s certificate is not valid, so the certificate may have been altered.</source>
        <translation>服务器证书上的签名无效，证书可能已被篡改。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="142"/>
        <source>The server sent no certificate.</source>
        <translation>服务器没有发送证书。</translation>
    </message>
    <message>
        <location filename="../app/core/net/tlserrors.cpp" line="150"/>
        <source>There is a problem with the server&apos;s certificate: %1.</source>
        <translation>服务器的证书有问题：%1。</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../ui/transcriptview.cpp" line="136"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/transcriptview.cpp" line="137"/>
        <source>The messages of this conversation. Ctrl+C copies the selected text or message.</source>
        <translation>此对话中的消息。按 Ctrl+C 可复制所选文本或消息。</translation>
    </message>
    <message>
        <location filename="../ui/transcriptview.cpp" line="138"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="325"/>
        <source>message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="335"/>
        <source>message as Markdown</source>
        <translation>消息（Markdown 格式）</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="345"/>
        <source>code block</source>
        <translation>代码块</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="389"/>
        <location filename="../ui/transcriptviewinput.cpp" line="435"/>
        <source>selection</source>
        <translation>所选文本</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="432"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="443"/>
        <source>Copy as Markdown</source>
        <translation>复制为 Markdown</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="450"/>
        <source>Copy Code Block</source>
        <translation>复制代码块</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="455"/>
        <source>Copy Link Address</source>
        <translation>复制链接地址</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="457"/>
        <source>link</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="464"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="468"/>
        <source>Edit and resend</source>
        <translation>编辑并重新发送</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="473"/>
        <source>Hide Thinking</source>
        <translation>隐藏思考过程</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="473"/>
        <source>Show Thinking</source>
        <translation>显示思考过程</translation>
    </message>
    <message>
        <location filename="../ui/transcriptviewinput.cpp" line="477"/>
        <source>Select Message Text</source>
        <translation>选择消息文本</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="129"/>
        <source>Native desktop chat client for streaming LLM APIs.</source>
        <translation>用于流式 LLM API 的原生桌面聊天客户端。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="133"/>
        <source>Send requests to &lt;url&gt; for this run (not saved).</source>
        <translation>本次运行将请求发送到 &lt;url&gt;（不保存）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="136"/>
        <source>Use &lt;model&gt; for this run (not saved).</source>
        <translation>本次运行使用 &lt;model&gt;（不保存）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="140"/>
        <source>Allow unencrypted http:// to the --base-url host even if it is not local or private (this run only).</source>
        <translation>允许以未加密的 http:// 连接 --base-url 指定的主机，即使它不是本机或内网主机（仅限本次运行）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="151"/>
        <source>sluice: --base-url needs an http:// or https:// address.</source>
        <translation>sluice：--base-url 需要 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="182"/>
        <source>The chat history could not be opened: %1 Chats are kept until Sluice closes.</source>
        <translation>无法打开对话历史记录：%1 对话仅保留到 Sluice 关闭为止。</translation>
    </message>
</context>
</TS>
