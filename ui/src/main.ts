/**
 * Starts the Vue app with the i18n setup. Element Plus comes on demand: the build imports each
 * component a template uses, with its CSS (see vite.config.ts). The services called from code
 * (ElMessage, ElMessageBox, ElNotification) are not in any template, so their CSS is here;
 * they are used on the first screen anyway. Element Plus's CSS comes before the app's own.
 */
import { stamp } from './startupTrace'
import { createApp } from 'vue'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
import './style.css'
import App from './App.vue'
import { i18n } from './i18n'

stamp('script')
createApp(App).use(i18n).mount('#app')
stamp('mounted')
